import { ref, watch, type Ref } from 'vue'
import { api } from '../../host/current-host'
import { usePipelineStore } from '../../stores/pipeline'
import { mergeColumns, upstreamFingerprint, upstreamNodeIds, type ColumnInfo } from './upstream'

/** Edits settle this long before columns are asked for. */
const settleMs = 300

/** Answers by pipeline, upstream node and fingerprint: the same question is asked once. */
const answers = new Map<string, Promise<ColumnInfo[] | null>>()
/** The last columns an upstream node had, for while the pipeline does not validate. */
const lastKnown = new Map<string, ColumnInfo[]>()

/**
 * The columns flowing into node `nodeId`, with their types: a zero-row preview of each upstream
 * node, cached per upstream node and what it depends on. A preview that fails (the pipeline is
 * invalid while the user types, a file is missing) keeps the last columns known, or none.
 */
export function useUpstreamColumns(nodeId: Ref<string | undefined>): Ref<ColumnInfo[]> {
  const pipeline = usePipelineStore()
  const columns = ref<ColumnInfo[]>([])
  let timer: ReturnType<typeof setTimeout> | undefined
  let asked = 0
  /** The last load had a failed preview: any later edit may be the one that fixes it. */
  let incomplete = false

  const question = (): string => {
    const document = pipeline.document
    const id = nodeId.value
    if (!document || !id) {
      return ''
    }
    return upstreamNodeIds(document, id)
      .map((upstream) => `${upstream}\u0000${upstreamFingerprint(document, upstream)}`)
      .join('\u0001')
  }

  async function load(): Promise<void> {
    const document = pipeline.document
    const pipelineId = pipeline.summary?.id
    const id = nodeId.value
    const turn = ++asked
    if (!document || !pipelineId || !id) {
      columns.value = []
      return
    }
    const upstream = upstreamNodeIds(document, id)
    const results = await Promise.all(
      upstream.map((upstreamId) =>
        columnsOf(pipelineId, upstreamId, upstreamFingerprint(document, upstreamId)),
      ),
    )
    if (turn === asked) {
      incomplete = results.some((result) => !result.fresh)
      columns.value = mergeColumns(results.map((result) => result.columns))
    }
  }

  async function columnsOf(
    pipelineId: string,
    upstreamId: string,
    fingerprint: string,
  ): Promise<{ columns: ColumnInfo[]; fresh: boolean }> {
    const node = `${pipelineId}\u0000${upstreamId}`
    const key = `${node}\u0000${fingerprint}`
    let answer = answers.get(key)
    if (!answer) {
      answer = (async () => {
        // The service previews the stored working copy, so the latest edit must be in it.
        await pipeline.flush()
        const preview = await api()['preview/node']({ pipelineId, nodeId: upstreamId, rows: 0 })
        return preview.columns
      })().catch(() => null)
      answers.set(key, answer)
    }
    const found = await answer
    if (found) {
      lastKnown.set(node, found)
      return { columns: found, fresh: true }
    }
    // A failure is not kept: the preview fails while any node of the pipeline is invalid, so
    // the next edit anywhere asks again.
    answers.delete(key)
    return { columns: lastKnown.get(node) ?? [], fresh: false }
  }

  watch(
    [nodeId, question],
    ([id], [previousId]) => {
      clearTimeout(timer)
      if (id !== previousId) {
        columns.value = []
      }
      timer = setTimeout(() => void load(), settleMs)
    },
    { immediate: true },
  )
  watch(
    () => pipeline.document,
    () => {
      if (incomplete) {
        clearTimeout(timer)
        timer = setTimeout(() => void load(), settleMs)
      }
    },
  )

  return columns
}
