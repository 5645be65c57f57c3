import { mkdirSync } from 'node:fs'
import type { DuckDBConnection } from '@duckdb/node-api'
import type { ValidPipeline } from '../../../src-shared/pipeline'
import type { NodeStats, PreviewResult } from '../../../src-shared/run'
import { outputTableName, quoteIdent } from '../duckdb/quote'
import { queryRows, runStatement } from '../duckdb/query'
import type { DatabaseAccess } from '../connectors/database/access'
import type { StagingDatabase } from '../duckdb/staging'
import type { InputRelation } from '../nodes/executor'
import { planPipeline, type Plan, type PlannedNode } from './plan'
import { OutputRegistry } from './registry'
import { describeRelation, runPlannedNode } from './run-node'

export interface PreviewOptions {
  staging: StagingDatabase
  baseDir: string
  workDir: string
  schema?: string
  rows?: number
  /** The output port to show; a sink shows its input. */
  port?: string
  signal?: AbortSignal
  /** Connections for database sources on the way to the node. */
  databases?: DatabaseAccess
}

/**
 * The first rows of any node. Upstream results that are stored under a current fingerprint are
 * read as they are; sources that are not staged yet are staged, and blocking transforms (sort,
 * dedupe, custom SQL) stored, once and kept for the next preview and run; the other transforms
 * become temporary views, so DuckDB pushes the LIMIT through them instead of computing them whole.
 */
export async function previewNode(
  pipeline: ValidPipeline,
  nodeId: string,
  options: PreviewOptions,
): Promise<PreviewResult> {
  const started = performance.now()
  const lazy = { lazySources: true }
  return withNodeRelation(
    pipeline,
    nodeId,
    options,
    async (connection, { ref, port }) => {
      const columns = await describeRelation(connection, ref)
      const rows = await queryRows(
        connection,
        `SELECT * FROM ${ref} LIMIT ${options.rows ?? 100}`,
        options.signal,
      )
      return { nodeId, port, columns, rows, ms: Math.round(performance.now() - started) }
    },
    lazy,
  )
}

/** The relation shown for a node: a table, or a view valid only on the connection given. */
export interface ShownRelation {
  ref: string
  port: string
}

/**
 * Finds or builds the relation of a node's port (`options.port`, else its first output; a sink
 * shows its input) and hands it to `work` on the connection its temporary views live on. Used by
 * previews and column profiles alike.
 */
export async function withNodeRelation<T>(
  pipeline: ValidPipeline,
  nodeId: string,
  options: PreviewOptions,
  work: (connection: DuckDBConnection, shown: ShownRelation) => Promise<T>,
  how: { lazySources?: boolean } = {},
): Promise<T> {
  mkdirSync(options.workDir, { recursive: true })
  const plan = await planPipeline(pipeline, options.baseDir)
  const target = plan.byId.get(nodeId)
  if (!target) {
    throw new Error(`no node "${nodeId}" in the pipeline`)
  }
  const registry = new OutputRegistry(options.schema ?? 'main')
  const connection = await options.staging.connect()
  try {
    await registry.prepare(connection)
    const relations = new Map<string, NodeStats['outputs']>()
    const needed = ancestorsOf(plan, target)
    // Reading sources lazily pays only when nothing on the way needs all their rows anyway;
    // then staging them keeps the work for the next preview and the run.
    const lazy =
      how.lazySources === true &&
      options.port !== 'rejects' &&
      !needed.some(
        (planned) =>
          (planned.executor.role === 'transform' && planned.executor.blocking) ||
          planned.executor.role === 'quality',
      )
    for (const planned of needed) {
      relations.set(
        planned.node.id,
        await relationFor(planned, relations, registry, connection, options, lazy),
      )
    }
    return await work(connection, shownRelation(target, relations, options.port))
  } finally {
    connection.closeSync()
  }
}

function shownRelation(
  target: PlannedNode,
  relations: Map<string, NodeStats['outputs']>,
  wanted: string | undefined,
): ShownRelation {
  if (target.executor.role === 'sink') {
    const from = Object.values(target.inputs)[0]
    const output = from ? relations.get(from.node)?.[from.port] : undefined
    if (!from || !output) {
      throw new Error(`sink "${target.node.id}" has no input to show`)
    }
    return { ref: output.relation, port: from.port }
  }
  const port = wanted ?? target.node.outputs[0]?.name ?? 'out'
  const output = relations.get(target.node.id)?.[port]
  if (!output) {
    throw new Error(`node "${target.node.id}" has no output "${port}"`)
  }
  return { ref: output.relation, port }
}
async function relationFor(
  planned: PlannedNode,
  known: Map<string, NodeStats['outputs']>,
  registry: OutputRegistry,
  connection: DuckDBConnection,
  options: PreviewOptions,
  lazy: boolean,
): Promise<NodeStats['outputs']> {
  const { node, executor } = planned
  if (executor.role === 'sink') {
    return {}
  }
  const ports = node.outputs.map((port) => port.name)
  const stored = await registry.lookup(connection, node.id, planned.fingerprint, ports)
  if (stored) {
    return Object.fromEntries(
      stored.map((output) => [output.port, { relation: output.relation, rows: output.rows }]),
    )
  }
  const inputs: Record<string, InputRelation> = {}
  for (const [port, from] of Object.entries(planned.inputs)) {
    const output = known.get(from.node)?.[from.port]
    if (!output) {
      throw new Error(`input "${port}" of "${node.id}" is not available`)
    }
    inputs[port] = {
      ref: output.relation,
      columns: await describeRelation(connection, output.relation),
      // Views made by this preview have no known count.
      ...(output.rows >= 0 ? { rows: output.rows } : {}),
    }
  }
  if (lazy && executor.role === 'source' && executor.peek) {
    const peeked = await peekedSource(planned, connection, options)
    if (peeked) {
      return peeked
    }
  }
  // Sources are staged, and blocking transforms and checks stored, as a run would: their full
  // result is computed either way, and keeping it makes the next preview and the run reuse it.
  // A check runs without history here: a preview shows rows, not verdicts.
  if (executor.role === 'source' || executor.role === 'quality' || executor.blocking) {
    const stats = await runPlannedNode({ ...planned, inline: false }, inputs, {
      connection,
      registry,
      baseDir: options.baseDir,
      workDir: options.workDir,
      signal: options.signal ?? new AbortController().signal,
      reuse: false,
      ...(options.databases ? { databases: options.databases } : {}),
      progress: () => undefined,
      log: () => undefined,
    })
    return stats.outputs
  }
  const view = quoteIdent(`preview_${outputTableName(node.id, 'out')}`)
  const sql = executor.compile({ nodeId: node.id, config: node.config, inputs })
  await runStatement(connection, `CREATE OR REPLACE TEMP VIEW ${view} AS ${sql}`, options.signal)
  return { out: { relation: view, rows: -1 } }
}

/** The node and everything upstream of it, in plan order. */
function ancestorsOf(plan: Plan, target: PlannedNode): PlannedNode[] {
  const needed = new Set<string>([target.node.id])
  for (const planned of [...plan.nodes].reverse()) {
    if (needed.has(planned.node.id)) {
      for (const from of Object.values(planned.inputs)) {
        needed.add(from.node)
      }
    }
  }
  return plan.nodes.filter((planned) => needed.has(planned.node.id))
}

/**
 * A source as a temporary view over its lazy read, or null to stage it instead: when it offers
 * none, or the read does not even bind (a sniffing problem staging reports with a clear error).
 */
async function peekedSource(
  planned: PlannedNode,
  connection: DuckDBConnection,
  options: PreviewOptions,
): Promise<NodeStats['outputs'] | null> {
  const { node, executor } = planned
  if (executor.role !== 'source' || !executor.peek) {
    return null
  }
  const sql = await executor.peek(node.config, options.baseDir)
  if (!sql) {
    return null
  }
  const view = quoteIdent(`preview_${outputTableName(node.id, 'out')}`)
  try {
    await runStatement(connection, `CREATE OR REPLACE TEMP VIEW ${view} AS ${sql}`, options.signal)
    await describeRelation(connection, view)
  } catch {
    return null
  }
  return { out: { relation: view, rows: -1 } }
}
