import { defineStore } from 'pinia'
import { computed, ref, shallowRef, toRaw } from 'vue'
import type { ApiEvent } from '../../../src-shared/api'
import type { PushReport } from '../../../src-shared/databases'
import type { SluiceError } from '../../../src-shared/errors'
import type { LogLine, RunRecord, RunSummary } from '../../../src-shared/project'
import type { NodeQuality } from '../../../src-shared/quality'
import type { NodeProgress, NodeStatus } from '../../../src-shared/run'
import { api, currentHost } from '../host/current-host'
import { usePipelineStore } from './pipeline'

/** What a node badge shows about the latest run. */
export interface NodeRunState {
  status: NodeStatus | 'running'
  progress?: NodeProgress
  rowsOut?: number
  rowsRejected?: number
  warnings: string[]
  error?: SluiceError
  /** Database pushes: what was (or, in a dry run, would be) changed. */
  push?: PushReport
  /** Check, validate and gate nodes: each rule's result, the score, and a gate's decision. */
  quality?: NodeQuality
  /** The node's config when the run started, to tell when it has changed since (stale). */
  configAtRun: string
}

/** A run that takes longer than this tells the user when it ends. */
const noticeAfterMs = 10_000

/**
 * The runs of the open pipeline: starting and cancelling, live node states from the service's
 * events, the run log, and the history.
 */
export const useRunStore = defineStore('run', () => {
  const runId = ref<string | null>(null)
  const running = ref(false)
  const nodes = ref<Record<string, NodeRunState>>({})
  const logs = shallowRef<LogLine[]>([])
  const history = ref<RunSummary[]>([])
  const lastFinished = ref<RunSummary | null>(null)
  /** The nodes the current run will run, in order (empty before its first event). */
  const order = ref<string[]>([])
  /** The run whose lines `logs` holds: the current one, or one loaded from history. */
  const logRunId = ref<string | null>(null)
  /** The current (or last) run was a dry run: pushes changed nothing. */
  const dryRun = ref(false)
  let configs: Record<string, string> = {}
  let startedAt = 0

  // Events can overtake the answer to run/start; hold them until the run's id is known.
  let early: ApiEvent[] = []
  currentHost().api.subscribe((event) => {
    if (running.value && runId.value === null) {
      early.push(event)
    } else {
      receive(event)
    }
  })

  function receive(event: ApiEvent): void {
    if (event.runId !== runId.value) {
      return
    }
    switch (event.type) {
      case 'node-status':
        nodes.value[event.nodeId] = {
          status: 'running',
          warnings: [],
          configAtRun: configs[event.nodeId] ?? '',
        }
        break
      case 'run-progress': {
        const state = nodes.value[event.progress.nodeId]
        if (state) {
          state.progress = event.progress
        }
        break
      }
      case 'node-finished': {
        const { stats } = event
        nodes.value[stats.nodeId] = {
          status: stats.status,
          rowsOut: stats.rowsOut,
          rowsRejected: stats.rowsRejected,
          warnings: stats.warnings,
          ...(stats.error ? { error: stats.error } : {}),
          ...(stats.push ? { push: stats.push } : {}),
          ...(stats.quality ? { quality: stats.quality } : {}),
          configAtRun: configs[stats.nodeId] ?? '',
        }
        break
      }
      case 'log':
        logs.value = [...logs.value, event.line]
        break
      case 'run-finished':
        running.value = false
        lastFinished.value = event.record
        void loadHistory()
        break
      case 'run-started':
        order.value = event.order
        break
    }
  }

  /**
   * Runs the working copy (up to `untilNode` when given). A dry run makes database pushes report
   * what they would change, without changing it.
   */
  async function start(untilNode?: string, options: { dryRun?: boolean } = {}): Promise<void> {
    const pipeline = usePipelineStore()
    const id = pipeline.summary?.id
    const document = pipeline.document
    if (!id || !document || running.value) {
      return
    }
    await pipeline.flush()
    configs = Object.fromEntries(
      document.nodes.map((node) => [node.id, JSON.stringify(toRaw(node.config))]),
    )
    const kept = untilNode ? { ...nodes.value } : {}
    nodes.value = kept
    logs.value = []
    order.value = []
    runId.value = null
    logRunId.value = null
    running.value = true
    dryRun.value = options.dryRun === true
    startedAt = Date.now()
    try {
      const started = await api()['run/start']({
        pipelineId: id,
        ...(untilNode ? { untilNode } : {}),
        ...(options.dryRun ? { dryRun: true } : {}),
      })
      runId.value = started.runId
      logRunId.value = started.runId
      const held = early
      early = []
      held.forEach(receive)
    } catch (thrown) {
      early = []
      running.value = false
      throw thrown
    }
  }

  async function cancel(): Promise<void> {
    if (runId.value && running.value) {
      await api()['run/cancel']({ runId: runId.value })
    }
  }

  async function loadHistory(): Promise<void> {
    const id = usePipelineStore().summary?.id
    history.value = id ? await api()['run/list']({ pipelineId: id, limit: 50 }) : []
  }

  /** Shows the log of an earlier run (the current run's lines arrive as events). */
  async function loadLogs(id: string): Promise<void> {
    if (running.value) {
      return
    }
    const lines = await api()['run/logs']({ runId: id })
    if (!running.value) {
      logs.value = lines
      logRunId.value = id
    }
  }

  /** One run's full record, with per-node stats. */
  function loadRecord(id: string): Promise<RunRecord> {
    return api()['run/get']({ runId: id })
  }

  /** Clears the state of the previous pipeline when another is opened. */
  function reset(): void {
    runId.value = null
    running.value = false
    nodes.value = {}
    logs.value = []
    order.value = []
    logRunId.value = null
    lastFinished.value = null
    dryRun.value = false
    void loadHistory()
  }

  /** The last error of each node that failed in the latest run, in the service's words. */
  const nodeErrors = computed<Record<string, SluiceError>>(() => {
    const errors: Record<string, SluiceError> = {}
    for (const [nodeId, state] of Object.entries(nodes.value)) {
      if (state.error) {
        errors[nodeId] = state.error
      }
    }
    return errors
  })

  /** The pushes of the latest run's nodes, in run order. */
  const pushes = computed(() =>
    Object.entries(nodes.value).flatMap(([nodeId, state]) =>
      state.push ? [{ nodeId, report: state.push }] : [],
    ),
  )

  /** Nodes of the current run that have ended (done, reused, failed, skipped, cancelled). */
  const nodesEnded = computed(
    () =>
      order.value.filter((id) => {
        const status = nodes.value[id]?.status
        return status !== undefined && status !== 'running'
      }).length,
  )

  /** True when the node's config changed since the run that produced its badge. */
  function isStale(nodeId: string, config: unknown): boolean {
    const state = nodes.value[nodeId]
    return state !== undefined && state.configAtRun !== JSON.stringify(toRaw(config))
  }

  /** How long the finished run took, when it took long enough to deserve a notice. */
  function longRunSeconds(): number | null {
    const took = Date.now() - startedAt
    return took >= noticeAfterMs ? Math.round(took / 1000) : null
  }

  return {
    runId,
    running,
    nodes,
    logs,
    history,
    lastFinished,
    order,
    logRunId,
    dryRun,
    pushes,
    nodeErrors,
    nodesEnded,
    start,
    cancel,
    loadHistory,
    loadLogs,
    loadRecord,
    reset,
    isStale,
    longRunSeconds,
  }
})
