import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { validatePipeline, type ValidPipeline } from '../../src-shared/pipeline'
import type { NodeStats, RunEvent, RunResult } from '../../src-shared/run'
import { noDatabaseAccess } from './connectors/database/access'
import { openStaging, type StagingDatabase } from './duckdb/staging'
import { queryRows } from './duckdb/query'
import { executePipeline } from './run/execute'
import type { QualityHistory } from './quality/history'
import { previewNode } from './run/preview'

/** A throwaway folder with a file-backed staging database, for engine tests on real DuckDB. */
export interface EngineSandbox {
  dir: string
  staging: StagingDatabase
  write(name: string, content: string | Buffer): string
  run(
    document: unknown,
    options?: { signal?: AbortSignal; reuse?: boolean; quality?: QualityHistory; dryRun?: boolean },
  ): Promise<{ result: RunResult; events: RunEvent[] }>
  preview(
    document: unknown,
    nodeId: string,
    rows?: number,
    port?: string,
  ): ReturnType<typeof previewNode>
  rows(sql: string): Promise<Array<Record<string, unknown>>>
  /** Stages `csv` as node `src` and runs it through `nodes`, one after another. */
  runOn(
    csv: string,
    nodes: ChainedNode[],
    options?: {
      sourceConfig?: Record<string, unknown>
      reuse?: boolean
      quality?: QualityHistory
    },
  ): Promise<RunResult>
  /** The stored output of a node, in the order the node left it. */
  output(nodeId: string): Promise<Array<Record<string, unknown>>>
  /** The stored rows of one output port of a node (e.g. a check's `pass` or `fail`). */
  port(nodeId: string, port: string): Promise<Array<Record<string, unknown>>>
  close(): void
}

export async function createSandbox(): Promise<EngineSandbox> {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-test-'))
  const staging = await openStaging({ path: join(dir, 'staging.duckdb'), memoryLimit: '1GB' })
  const options = { staging, baseDir: dir, workDir: join(dir, 'work') }
  const rows = async (sql: string) => {
    const connection = await staging.connect()
    try {
      return await queryRows(connection, sql)
    } finally {
      connection.closeSync()
    }
  }
  return {
    dir,
    staging,
    write: (name, content) => {
      const path = join(dir, name)
      writeFileSync(path, content)
      return path
    },
    run: async (document, { dryRun, ...runOptions } = {}) => {
      const events: RunEvent[] = []
      const result = await executePipeline(mustValidate(document), {
        ...options,
        ...runOptions,
        ...(dryRun ? { databases: { ...noDatabaseAccess, dryRun: true } } : {}),
        onEvent: (event) => events.push(event),
      })
      return { result, events }
    },
    preview: (document, nodeId, rows, port) =>
      previewNode(mustValidate(document), nodeId, {
        ...options,
        ...(rows ? { rows } : {}),
        ...(port ? { port } : {}),
      }),
    rows,
    runOn: async (csv, nodes, { sourceConfig = {}, reuse, quality } = {}) => {
      const path = join(dir, 'in.csv')
      writeFileSync(path, csv)
      const source = { id: 'src', kind: 'source.csv', config: { path, ...sourceConfig } }
      const document = chain(source, ...nodes)
      const validPipeline = mustValidate(document)
      return executePipeline(validPipeline, {
        ...options,
        ...(reuse === undefined ? {} : { reuse }),
        ...(quality ? { quality } : {}),
      })
    },
    output: (nodeId) => rows(`SELECT * FROM "${nodeId}__out"`),
    port: (nodeId, port) => rows(`SELECT * FROM "${nodeId}__${port}"`),
    close: () => {
      staging.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** Validates a document in a test, failing with every error listed. */
export function mustValidate(document: unknown): ValidPipeline {
  const validation = validatePipeline(document)
  if (!validation.ok) {
    throw new Error(validation.errors.map((error) => error.message).join('\n'))
  }
  return validation.pipeline
}

/** A node in `chain`; `inputPort` names the port fed by the previous node (default `in`). */
export interface ChainedNode {
  id: string
  kind: string
  config: Record<string, unknown>
  inputPort?: string
}

/** A transform node for `chain`/`runOn`: `transformNode('f', 'filter', {...})`. */
export function transformNode(
  id: string,
  kind: string,
  config: Record<string, unknown>,
): ChainedNode {
  return { id, kind: `transform.${kind}`, config }
}

/** A linear pipeline document: a chain of nodes, each feeding the next from `out`. */
export function chain(...nodes: ChainedNode[]) {
  return {
    formatVersion: 1,
    name: 'test',
    nodes: nodes.map(({ id, kind, config }) => ({ id, kind, config, position: { x: 0, y: 0 } })),
    edges: nodes.slice(1).map((node, index) => ({
      from: { node: (nodes[index] as ChainedNode).id, port: 'out' },
      to: { node: node.id, port: node.inputPort ?? 'in' },
    })),
  }
}

/**
 * A history holding what a finished run's check nodes saw, as the store would give it to the next
 * run: for row-count change and schema-drift tests.
 */
export function historyOf(result: RunResult): QualityHistory {
  const byNode = new Map<string, NodeStats>(result.nodes.map((stats) => [stats.nodeId, stats]))
  return {
    previous: (nodeId) => {
      const stats = byNode.get(nodeId)
      return Promise.resolve(
        stats?.quality ? { rows: stats.rowsIn, schema: stats.quality.schema } : null,
      )
    },
  }
}
