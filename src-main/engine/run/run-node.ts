import type { DuckDBConnection } from '@duckdb/node-api'
import { sluiceError } from '../../../src-shared/errors'
import type { NodeQuality } from '../../../src-shared/quality'
import type { LogLevel, NodeProgress, NodeStats } from '../../../src-shared/run'
import { noDatabaseAccess, type DatabaseAccess } from '../connectors/database/access'
import { queryNumber, queryRows, runStatement } from '../duckdb/query'
import type {
  ColumnInfo,
  InputRelation,
  NodeContext,
  NodeOutcome,
  UpstreamQuality,
} from '../nodes/executor'
import { noQualityHistory, type QualityHistory } from '../quality/history'
import { exclusively } from './node-lock'
import type { PlannedNode } from './plan'
import type { OutputRegistry, StoredOutput } from './registry'

/** What running one node needs besides the node itself. */
export interface NodeRunEnvironment {
  connection: DuckDBConnection
  registry: OutputRegistry
  baseDir: string
  workDir: string
  signal: AbortSignal
  /** Reuse a stored result whose fingerprint matches. */
  reuse: boolean
  databases?: DatabaseAccess
  /** Earlier runs, for check nodes' row-count change and schema drift (none in a preview). */
  history?: QualityHistory
  /** What check and validate nodes upstream found, for a quality gate. */
  upstreamQuality?: UpstreamQuality[]
  progress(progress: NodeProgress): void
  log(level: LogLevel, message: string, nodeId?: string): void
}

/** The columns of a relation, as DuckDB describes them. */
export async function describeRelation(
  connection: DuckDBConnection,
  ref: string,
): Promise<ColumnInfo[]> {
  const rows = await queryRows(
    connection,
    `SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM ${ref})`,
  )
  return rows.map((row) => ({ name: String(row.column_name), type: String(row.column_type) }))
}

/**
 * Runs (or reuses) one node: sources and sinks through their executor, transforms by
 * materialising their compiled SELECT. Returns its stats; throws on failure.
 */
export async function runPlannedNode(
  planned: PlannedNode,
  inputs: Record<string, InputRelation>,
  env: NodeRunEnvironment,
): Promise<NodeStats> {
  // A preview may stage the node a run is staging: they share its output tables.
  const { id, outputs } = planned.node
  const key = env.registry.relation(id, outputs[0]?.name ?? 'sink')
  return exclusively(key, () => runUnshared(planned, inputs, env))
}

async function runUnshared(
  planned: PlannedNode,
  inputs: Record<string, InputRelation>,
  env: NodeRunEnvironment,
): Promise<NodeStats> {
  const started = performance.now()
  const { node, executor, fingerprint } = planned
  const ports = node.outputs.map((port) => port.name)
  // A check's rows in are the rows it checks; its `ref` input is only looked up.
  const counted = executor.role === 'quality' && inputs.in ? { in: inputs.in } : inputs
  const rowsIn = Object.values(counted).reduce((sum, input) => sum + (input.rows ?? 0), 0)
  // A preview reads some inputs through views whose row counts are not known.
  const rowsInKnown = Object.values(inputs).every((input) => input.rows !== undefined)
  const stats = (
    status: NodeStats['status'],
    outputs: StoredOutput[],
    outcome: NodeOutcome,
  ): NodeStats => ({
    nodeId: node.id,
    kind: node.kind,
    status,
    rowsIn,
    rowsOut:
      outcome.rowsWritten ??
      outputs.find((output) => output.port === 'out' || output.port === 'pass')?.rows ??
      0,
    rowsRejected: outcome.rowsRejected ?? 0,
    ms: Math.round(performance.now() - started),
    fingerprint,
    outputs: Object.fromEntries(
      outputs.map((o) => [o.port, { relation: o.relation, rows: o.rows }]),
    ),
    ...(outcome.written ? { written: outcome.written } : {}),
    ...(outcome.push ? { push: outcome.push } : {}),
    ...(outcome.watermark !== undefined ? { watermark: outcome.watermark } : {}),
    ...(outcome.quality ? { quality: outcome.quality } : {}),
    warnings: outcome.warnings ?? [],
  })

  // Quality nodes always run: their verdict depends on the clock and earlier runs too.
  if (env.reuse && executor.role !== 'sink' && executor.role !== 'quality') {
    const stored = await env.registry.lookup(
      env.connection,
      node.id,
      fingerprint,
      ports,
      planned.inline,
    )
    if (stored) {
      const rejected = stored.find((output) => output.port === 'rejects')?.rows ?? 0
      return stats('reused', stored, { rowsRejected: rejected })
    }
  }

  await env.registry.forget(env.connection, node.id)
  const context: NodeContext = {
    node,
    config: node.config,
    inputs,
    outputs: Object.fromEntries(ports.map((port) => [port, env.registry.relation(node.id, port)])),
    connection: env.connection,
    baseDir: env.baseDir,
    workDir: env.workDir,
    signal: env.signal,
    databases: env.databases ?? noDatabaseAccess,
    history: env.history ?? noQualityHistory,
    upstreamQuality: env.upstreamQuality ?? [],
    progress: (progress) => env.progress({ ...progress, nodeId: node.id }),
    log: (level, message) => env.log(level, message, node.id),
  }
  if (executor.role === 'sink' && context.databases.dryRun && !executor.rehearses) {
    return stats('done', [], { warnings: ['Dry run: this output was not written.'] })
  }
  let outcome: NodeOutcome = {}
  if (executor.role === 'transform') {
    outcome = (await executor.inspect?.(context)) ?? {}
    const sql = executor.compile({ nodeId: node.id, config: node.config, inputs })
    const out = context.outputs.out as string
    await dropRelation(env.connection, out)
    await runStatement(
      env.connection,
      `CREATE ${planned.inline ? 'VIEW' : 'TABLE'} ${out} AS ${sql}`,
      env.signal,
      (sample) => context.progress({ percent: sample.percent, rows: sample.rows }),
    )
  } else {
    outcome = await executor.run(context)
  }
  const outputs: StoredOutput[] = []
  for (const port of ports) {
    const relation = context.outputs[port] as string
    const known =
      executor.role === 'transform' && executor.preservesRows && rowsInKnown
        ? rowsIn
        : outcome.portRows?.[port]
    const rows =
      known ?? (await queryNumber(env.connection, `SELECT count(*) FROM ${relation}`, env.signal))
    outputs.push({ port, relation, rows })
  }
  // A view is remembered too: its fingerprint covers its inputs' fingerprints, so while it
  // matches, the view reads the very tables it was made over, and its row count still holds.
  await env.registry.remember(env.connection, node.id, fingerprint, outputs)
  for (const warning of outcome.warnings ?? []) {
    env.log('warn', warning, node.id)
  }
  const failedRules = rulesThatFailed(outcome.quality)
  if (failedRules) {
    // The node fails, but its results and outputs are kept: the store records the results and
    // the fail port can still be previewed.
    const error = sluiceError(
      'QUALITY_FAILED',
      { node: node.id, rules: failedRules },
      { nodeId: node.id },
    )
    env.log('error', error.message, node.id)
    return { ...stats('failed', outputs, outcome), error }
  }
  return stats('done', outputs, outcome)
}

/** The rules whose `fail` severity was triggered, as the error names them; null if none. */
function rulesThatFailed(quality: NodeQuality | undefined): string | null {
  const failed = (quality?.rules ?? []).filter((result) => result.status === 'failed')
  return failed.length > 0 ? failed.map((result) => `"${result.rule}"`).join(', ') : null
}

/**
 * Drops a node's previous output, which may be a table or a view (a node is inlined as a view
 * when it has one reader), since DuckDB will not replace one kind with the other.
 */
async function dropRelation(connection: DuckDBConnection, relation: string): Promise<void> {
  try {
    await connection.run(`DROP TABLE IF EXISTS ${relation}`)
  } catch {
    await connection.run(`DROP VIEW IF EXISTS ${relation}`)
  }
}

/** The input relations of a node, from the outputs its upstream nodes produced. */
export async function resolveInputs(
  planned: PlannedNode,
  upstream: ReadonlyMap<string, NodeStats>,
  connection: DuckDBConnection,
): Promise<Record<string, InputRelation>> {
  const inputs: Record<string, InputRelation> = {}
  for (const [port, from] of Object.entries(planned.inputs)) {
    const output = upstream.get(from.node)?.outputs[from.port]
    if (!output) {
      throw new Error(`input "${port}" of "${planned.node.id}" has no data from "${from.node}"`)
    }
    inputs[port] = {
      ref: output.relation,
      rows: output.rows,
      columns: await describeRelation(connection, output.relation),
    }
  }
  return inputs
}
