import { computed, ref, shallowRef, watch } from 'vue'
import { SluiceFailure } from '../../../../src-shared/errors'
import type { NodeQuality, QualityTrendPoint } from '../../../../src-shared/quality'
import { api } from '../../host/current-host'
import { translateError } from '../../i18n'
import { usePipelineStore } from '../../stores/pipeline'
import { useRunStore } from '../../stores/run'
import { isQualityKind } from './quality-summary'

/** Runs the trend chart shows. */
const trendRuns = 30

/** A node's quality as the panel shows it, with the run it came from when not the live one. */
export interface ShownQuality {
  quality: NodeQuality
  /** When the recorded run started; null for the run this window is watching. */
  startedAt: string | null
}

function reasonOf(thrown: unknown): string {
  return thrown instanceof SluiceFailure
    ? translateError(thrown.error)
    : String((thrown as Error)?.message ?? thrown)
}

/**
 * The selected check, validate or gate node's quality: from the run this window started (its
 * node-finished events), else from the latest recorded run (after a reload or when another
 * pipeline was opened), and its score across runs from 'quality/trend'. Both reload when a run
 * finishes.
 */
export function useNodeQuality() {
  const pipeline = usePipelineStore()
  const runs = useRunStore()
  const node = computed(() => pipeline.selectedNode)
  const isQuality = computed(() => (node.value ? isQualityKind(node.value.kind) : false))

  /** The latest recorded run's quality by node, read once per run. */
  const recorded = shallowRef<{
    runId: string
    startedAt: string
    byNode: Map<string, NodeQuality>
  } | null>(null)
  const loadingRecord = ref(false)
  const trend = shallowRef<QualityTrendPoint[]>([])
  const trendError = ref<string | null>(null)
  let trendSequence = 0

  const shown = computed<ShownQuality | null>(() => {
    const id = node.value?.id
    if (!id || !isQuality.value) {
      return null
    }
    const live = runs.nodes[id]?.quality
    if (live) {
      return { quality: live, startedAt: null }
    }
    const stored = recorded.value?.byNode.get(id)
    return stored ? { quality: stored, startedAt: recorded.value?.startedAt ?? null } : null
  })

  async function loadRecord(): Promise<void> {
    const latest = runs.history.find((run) => run.status !== 'running')
    if (!isQuality.value || runs.running || !latest || recorded.value?.runId === latest.id) {
      return
    }
    loadingRecord.value = true
    try {
      const record = await runs.loadRecord(latest.id)
      const byNode = new Map<string, NodeQuality>()
      for (const stats of record.nodes) {
        if (stats.quality) {
          byNode.set(stats.nodeId, stats.quality)
        }
      }
      recorded.value = { runId: latest.id, startedAt: latest.startedAt, byNode }
    } catch {
      // The panel then says the node has not run; the run log tells what went wrong.
      recorded.value = null
    } finally {
      loadingRecord.value = false
    }
  }

  async function loadTrend(): Promise<void> {
    const mine = ++trendSequence
    const pipelineId = pipeline.summary?.id
    const nodeId = node.value?.id
    if (!pipelineId || !nodeId || !isQuality.value) {
      trend.value = []
      trendError.value = null
      return
    }
    try {
      const points = await api()['quality/trend']({ pipelineId, nodeId, limit: trendRuns })
      if (mine === trendSequence) {
        trend.value = points
        trendError.value = null
      }
    } catch (thrown) {
      if (mine === trendSequence) {
        trend.value = []
        trendError.value = reasonOf(thrown)
      }
    }
  }

  watch(
    () => [node.value?.id, runs.history[0]?.id, runs.history[0]?.status],
    () => {
      void loadRecord()
      void loadTrend()
    },
    { immediate: true },
  )

  return { node, isQuality, shown, loadingRecord, trend, trendError }
}
