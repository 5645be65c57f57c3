import { mkdirSync } from 'node:fs'
import { sluiceError, toSluiceError, type SluiceError } from '../../../src-shared/errors'
import type { ValidPipeline } from '../../../src-shared/pipeline'
import type { NodeStats, RunEvent, RunResult } from '../../../src-shared/run'
import type { DatabaseAccess } from '../connectors/database/access'
import type { UpstreamQuality } from '../nodes/executor'
import type { StagingDatabase } from '../duckdb/staging'
import type { QualityHistory } from '../quality/history'
import { blockingQuality, upstreamQualityOf } from './quality-flow'
import { planPipeline, type PlannedNode } from './plan'
import { OutputRegistry } from './registry'
import { resolveInputs, runPlannedNode } from './run-node'

export interface RunOptions {
  staging: StagingDatabase
  /** Relative paths in configs resolve against this folder (the pipeline file's). */
  baseDir: string
  /** Working files (transcoded inputs) go here. */
  workDir: string
  /** The DuckDB schema holding this pipeline's node outputs. */
  schema?: string
  signal?: AbortSignal
  onEvent?: (event: RunEvent) => void
  /** How many independent nodes run at once. */
  parallelism?: number
  /** Reuse stored results with matching fingerprints (default true). */
  reuse?: boolean
  /** Connections, watermarks and dry-run mode for database sources and pushes. */
  databases?: DatabaseAccess
  /** Earlier runs, for check nodes' row-count change and schema drift (default: none). */
  quality?: QualityHistory
}

/**
 * Runs a validated pipeline: independent branches at the same time, each node on its own DuckDB
 * connection so a cancel interrupts exactly the queries running. A failed node skips what depends
 * on it; the other branches finish. A push downstream of a closed quality gate (or a `block`
 * rule that missed) is not run but marked blocked, and the run then ends blocked.
 */
export async function executePipeline(
  pipeline: ValidPipeline,
  options: RunOptions,
): Promise<RunResult> {
  const startedAt = new Date()
  const started = performance.now()
  const emit = options.onEvent ?? (() => undefined)
  const signal = options.signal ?? new AbortController().signal
  mkdirSync(options.workDir, { recursive: true })
  const registry = new OutputRegistry(options.schema ?? 'main')
  const setup = await options.staging.connect()
  await registry.prepare(setup)
  setup.closeSync()

  const plan = await planPipeline(pipeline, options.baseDir)
  emit({ type: 'run-started', order: plan.nodes.map((planned) => planned.node.id) })
  const finished = new Map<string, NodeStats>()
  const errors: SluiceError[] = []
  const running = new Map<string, Promise<void>>()
  const pending = [...plan.nodes]
  const limit = Math.max(1, options.parallelism ?? 2)

  const settle = (stats: NodeStats): void => {
    finished.set(stats.nodeId, stats)
    if (stats.error) {
      errors.push(stats.error)
    }
    emit({ type: 'node-finished', stats })
  }

  const start = (planned: PlannedNode): void => {
    const id = planned.node.id
    emit({ type: 'node-started', nodeId: id })
    const upstreamQuality = upstreamQualityOf(plan, planned, finished)
    const work = runOne(planned, finished, registry, { ...options, upstreamQuality }, signal, emit)
      .then(settle)
      .finally(() => running.delete(id))
    running.set(id, work)
  }

  while (pending.length > 0 || running.size > 0) {
    for (const planned of [...pending]) {
      const upstream = Object.values(planned.inputs).map((from) => from.node)
      const unusable = upstream
        .map((id) => finished.get(id))
        .find((stats) => stats && !isUsable(stats))
      if (signal.aborted || unusable) {
        pending.splice(pending.indexOf(planned), 1)
        settle(notRun(planned, signal.aborted ? undefined : unusable))
        continue
      }
      if (running.size < limit && upstream.every((id) => finished.has(id))) {
        pending.splice(pending.indexOf(planned), 1)
        const stopped =
          planned.executor.role === 'sink' ? blockingQuality(plan, planned, finished) : null
        if (stopped) {
          const stats = { ...notRun(planned), status: 'blocked' as const, error: stopped }
          emit({ type: 'log', level: 'warn', message: stopped.message, nodeId: planned.node.id })
          settle({ ...stats, warnings: [stopped.message] })
        } else {
          start(planned)
        }
      }
    }
    if (running.size > 0) {
      await Promise.race(running.values())
    }
  }

  const nodes = plan.nodes.map((planned) => finished.get(planned.node.id) as NodeStats)
  const status = signal.aborted
    ? 'cancelled'
    : nodes.some((stats) => stats.status === 'failed')
      ? 'failed'
      : nodes.some((stats) => stats.status === 'blocked')
        ? 'blocked'
        : 'succeeded'
  const result: RunResult = {
    status,
    startedAt: startedAt.toISOString(),
    ms: Math.round(performance.now() - started),
    nodes,
    errors:
      status === 'cancelled'
        ? [sluiceError('CANCELLED'), ...errors.filter((e) => e.code !== 'CANCELLED')]
        : errors,
  }
  emit({ type: 'run-finished', result })
  return result
}

function isUsable(stats: NodeStats): boolean {
  return stats.status === 'done' || stats.status === 'reused'
}

async function runOne(
  planned: PlannedNode,
  finished: ReadonlyMap<string, NodeStats>,
  registry: OutputRegistry,
  options: RunOptions & { upstreamQuality: UpstreamQuality[] },
  signal: AbortSignal,
  emit: (event: RunEvent) => void,
): Promise<NodeStats> {
  const started = performance.now()
  const connection = await options.staging.connect()
  try {
    const inputs = await resolveInputs(planned, finished, connection)
    return await runPlannedNode(planned, inputs, {
      connection,
      registry,
      baseDir: options.baseDir,
      workDir: options.workDir,
      signal,
      reuse: options.reuse ?? true,
      ...(options.databases ? { databases: options.databases } : {}),
      ...(options.quality ? { history: options.quality } : {}),
      upstreamQuality: options.upstreamQuality,
      progress: (progress) => emit({ type: 'node-progress', progress }),
      log: (level, message, nodeId) =>
        emit({ type: 'log', level, message, ...(nodeId ? { nodeId } : {}) }),
    })
  } catch (thrown) {
    const error = { ...toSluiceError(thrown, planned.node.id), nodeId: planned.node.id }
    emit({ type: 'log', level: 'error', message: error.message, nodeId: planned.node.id })
    return {
      ...notRun(planned),
      status: error.code === 'CANCELLED' ? 'cancelled' : 'failed',
      ms: Math.round(performance.now() - started),
      error,
    }
  } finally {
    connection.closeSync()
  }
}

function notRun(planned: PlannedNode, failedUpstream?: NodeStats): NodeStats {
  const id = planned.node.id
  return {
    nodeId: id,
    kind: planned.node.kind,
    status: failedUpstream ? 'skipped' : 'cancelled',
    rowsIn: 0,
    rowsOut: 0,
    rowsRejected: 0,
    ms: 0,
    fingerprint: planned.fingerprint,
    outputs: {},
    warnings: failedUpstream
      ? [sluiceError('UPSTREAM_FAILED', { node: id, upstream: failedUpstream.nodeId }).message]
      : [],
  }
}
