import { randomUUID } from 'node:crypto'
import type { ApiEvent, CheckedParamsOf } from '../../src-shared/api'
import {
  sluiceError,
  SluiceFailure,
  toSluiceError,
  type SluiceError,
} from '../../src-shared/errors'
import type { ValidPipeline } from '../../src-shared/pipeline'
import type { CheckResult, NodeRunRecord, RunRecord } from '../../src-shared/project'
import type { RuleResult } from '../../src-shared/quality'
import type { LogLevel, NodeStats, RunEvent, RunResult } from '../../src-shared/run'
import { executePipeline } from '../engine'
import type { ProjectSession } from './project-session'
import { loadRunnablePipeline } from './load-pipeline'
import { describeBlock, describeNode, logLevelOf } from './run-log-text'
import { redactSecrets } from './secrets/redact'
import type { SecretStore } from './secrets/secret-store'

interface ActiveRun {
  pipelineId: string
  controller: AbortController
  done: Promise<RunRecord>
}

/**
 * Starts runs in the background and writes their record as they go: the run row first, then each
 * node's stats and every log line the moment they happen, so a crash mid-run leaves a history
 * that says how far it got. Every text stored or sent is scrubbed of the project's secrets.
 */
export class RunManager {
  private readonly active = new Map<string, ActiveRun>()

  constructor(
    private readonly session: ProjectSession,
    private readonly secrets: SecretStore,
    private readonly emit: (event: ApiEvent) => void,
    private readonly parallelism?: number,
  ) {}

  async start(params: CheckedParamsOf<'run/start'>): Promise<{ runId: string }> {
    const store = this.session.store
    const loaded = loadRunnablePipeline(
      store,
      params.pipelineId,
      { version: params.version, untilNode: params.untilNode },
      params.parameters,
    )
    for (const [runId, run] of this.active) {
      if (run.pipelineId === loaded.summary.id) {
        throw new SluiceFailure(
          sluiceError('RUN_IN_PROGRESS', { pipeline: loaded.summary.name, run: runId }),
        )
      }
    }
    const secretValues = await this.knownSecrets()
    const redact = (text: string): string => redactSecrets(text, secretValues)
    const runId = randomUUID()
    store.runs.start({
      id: runId,
      pipelineId: loaded.summary.id,
      pipelineName: loaded.summary.name,
      pipelineVersion: loaded.version,
      trigger: params.trigger,
      parameters: Object.fromEntries(
        Object.entries(loaded.parameters).map(([name, value]) => [name, redact(value)]),
      ),
      startedAt: new Date().toISOString(),
      dryRun: params.dryRun,
    })
    const controller = new AbortController()
    const done = this.execute(runId, loaded.pipeline, {
      pipelineId: loaded.summary.id,
      reuse: params.reuse,
      dryRun: params.dryRun,
      signal: controller.signal,
      redact,
    }).finally(() => this.active.delete(runId))
    this.active.set(runId, { pipelineId: loaded.summary.id, controller, done })
    return { runId }
  }

  /** Fails with RUN_IN_PROGRESS while any run is going (before staging may move). */
  assertIdle(): void {
    const [runId, run] = [...this.active][0] ?? []
    if (runId && run) {
      const pipeline = this.session.store.pipelines.get(run.pipelineId).name
      throw new SluiceFailure(sluiceError('RUN_IN_PROGRESS', { pipeline, run: runId }))
    }
  }

  cancel(runId: string): boolean {
    const run = this.active.get(runId)
    run?.controller.abort()
    return run !== undefined
  }

  /** The finished record: awaited for a run in progress, read from the store otherwise. */
  async wait(runId: string): Promise<RunRecord> {
    return (await this.active.get(runId)?.done) ?? this.session.store.runs.get(runId)
  }

  /** Cancels every run and waits for each to record how it ended. */
  async cancelAll(): Promise<void> {
    const runs = [...this.active.values()]
    for (const run of runs) {
      run.controller.abort()
    }
    await Promise.allSettled(runs.map((run) => run.done))
  }

  private async execute(
    runId: string,
    pipeline: ValidPipeline,
    run: {
      pipelineId: string
      reuse: boolean
      dryRun: boolean
      signal: AbortSignal
      redact: (t: string) => string
    },
  ): Promise<RunRecord> {
    const store = this.session.store
    const redactError = (error: SluiceError): SluiceError => ({
      ...error,
      message: run.redact(error.message),
      ...(error.params
        ? {
            params: Object.fromEntries(
              Object.entries(error.params).map(([key, value]) => [
                key,
                typeof value === 'string' ? run.redact(value) : value,
              ]),
            ),
          }
        : {}),
      ...(error.detail === undefined ? {} : { detail: run.redact(error.detail) }),
    })
    // The last sentence logged for each node: the engine's own log event and the node's finished
    // line can say the same thing (a blocked push), and the log should say it once.
    const lastSaid = new Map<string, string>()
    const log = (level: LogLevel, message: string, nodeId?: string): void => {
      if (nodeId !== undefined) {
        if (lastSaid.get(nodeId) === message) {
          return
        }
        lastSaid.set(nodeId, message)
      }
      const line = store.runs.appendLog(runId, {
        at: new Date().toISOString(),
        level,
        nodeId: nodeId ?? null,
        message: run.redact(message),
      })
      this.emit({ type: 'log', runId, line })
    }
    // Incremental sources' new high-water marks, stored only if the whole run succeeds.
    const watermarks = new Map<string, string>()
    // Every node's stats, for the last log line of a blocked run.
    const finished: NodeStats[] = []
    const onEvent = (event: RunEvent): void => {
      switch (event.type) {
        case 'run-started':
          log('info', `Run started: ${event.order.length} nodes.`)
          this.emit({ type: 'run-started', runId, pipelineId: run.pipelineId, order: event.order })
          break
        case 'node-started':
          this.emit({ type: 'node-status', runId, nodeId: event.nodeId, status: 'running' })
          break
        case 'node-progress':
          this.emit({ type: 'run-progress', runId, progress: event.progress })
          break
        case 'node-finished': {
          if (event.stats.watermark !== undefined && event.stats.status === 'done') {
            watermarks.set(event.stats.nodeId, event.stats.watermark)
          }
          const quality = event.stats.quality
          const stats: NodeStats = {
            ...event.stats,
            ...(event.stats.error ? { error: redactError(event.stats.error) } : {}),
            // Rule messages quote values, and a custom SQL rule's may quote its SQL.
            ...(quality
              ? {
                  quality: {
                    ...quality,
                    rules: quality.rules.map((rule) => ({
                      ...rule,
                      message: run.redact(rule.message),
                    })),
                    ...(quality.blocked === undefined
                      ? {}
                      : { blocked: run.redact(quality.blocked) }),
                  },
                }
              : {}),
          }
          store.runs.recordNode(runId, nodeRecord(stats))
          finished.push(stats)
          // A gate's rules are copies of the upstream rules it names; those nodes record them.
          if (stats.quality && stats.kind !== 'quality.gate') {
            store.runs.recordChecks(runId, checkResults(stats.nodeId, stats.quality.rules))
          }
          for (const warning of stats.warnings) {
            log('warn', warning, stats.nodeId)
          }
          log(logLevelOf(stats), describeNode(stats), stats.nodeId)
          this.emit({ type: 'node-finished', runId, stats })
          break
        }
        case 'log':
          log(event.level, event.message, event.nodeId)
          break
        case 'run-finished':
          break
      }
    }
    let result: Pick<RunResult, 'status' | 'errors' | 'ms'>
    try {
      result = await this.session.withPipelineStaging(run.pipelineId, (engine) =>
        executePipeline(pipeline, {
          ...engine,
          signal: run.signal,
          reuse: run.reuse,
          databases: { ...engine.databases, dryRun: run.dryRun },
          onEvent,
          ...(this.parallelism ? { parallelism: this.parallelism } : {}),
        }),
      )
    } catch (thrown) {
      result = { status: 'failed', errors: [toSluiceError(thrown)], ms: 0 }
    }
    this.advanceWatermarks(runId, run, result.status, watermarks, log)
    const errors = result.errors.map(redactError)
    const seconds = (result.ms / 1000).toFixed(2)
    if (result.status === 'blocked') {
      log('warn', `Run blocked by quality gate: ${describeBlock(finished)}.`)
    } else {
      log(result.status === 'succeeded' ? 'info' : 'error', `Run ${result.status} in ${seconds} s.`)
    }
    const summary = store.runs.finish(runId, {
      status: result.status,
      endedAt: new Date().toISOString(),
      errors,
    })
    this.emit({ type: 'run-finished', runId, record: summary })
    return store.runs.get(runId)
  }

  /**
   * Stores incremental sources' new watermarks, only when the whole run succeeded and was not a
   * dry run: a failed run must read the same rows again next time, and so must a blocked one,
   * whose stopped pushes never delivered the rows.
   */
  private advanceWatermarks(
    runId: string,
    run: { pipelineId: string; dryRun: boolean },
    status: RunResult['status'],
    watermarks: ReadonlyMap<string, string>,
    log: (level: LogLevel, message: string, nodeId?: string) => void,
  ): void {
    if (watermarks.size === 0) {
      return
    }
    if (status !== 'succeeded' || run.dryRun) {
      const why = run.dryRun
        ? 'this was a dry run'
        : status === 'blocked'
          ? 'a quality gate stopped a push'
          : 'the run did not succeed'
      log('info', `Watermarks were not advanced because ${why}; the next run reads the same rows.`)
      return
    }
    for (const [nodeId, value] of watermarks) {
      this.session.store.watermarks.set({ pipelineId: run.pipelineId, nodeId, value, runId })
      log('info', `Watermark advanced to ${value}.`, nodeId)
    }
  }

  /** Secret values of the project's connections that the store can give, to scrub from text. */
  private async knownSecrets(): Promise<string[]> {
    const values: string[] = []
    for (const connection of this.session.store.connections.list()) {
      if (connection.secretRef) {
        const value = await this.secrets.get(connection.secretRef).catch(() => undefined)
        if (value) {
          values.push(value)
        }
      }
    }
    return values
  }
}

function nodeRecord(stats: NodeStats): NodeRunRecord {
  return {
    nodeId: stats.nodeId,
    kind: stats.kind,
    status: stats.status,
    rowsIn: stats.rowsIn,
    rowsOut: stats.rowsOut,
    rowsRejected: stats.rowsRejected,
    ms: stats.ms,
    fingerprint: stats.fingerprint,
    reused: stats.status === 'reused',
    ...(stats.written ? { written: stats.written } : {}),
    ...(stats.push ? { push: stats.push } : {}),
    ...(stats.quality ? { quality: stats.quality } : {}),
    warnings: stats.warnings,
    ...(stats.error ? { error: stats.error } : {}),
  }
}

/** One run_checks row per rule, so the history can list rule outcomes without the JSON. */
function checkResults(nodeId: string, rules: readonly RuleResult[]): CheckResult[] {
  return rules.map((rule) => ({
    nodeId,
    check: rule.rule,
    status: rule.status,
    rowsPassed: rule.tested - rule.failed,
    rowsFailed: rule.failed,
    message: rule.message,
    kind: rule.check,
    severity: rule.severity,
    passRate: rule.passRate,
  }))
}
