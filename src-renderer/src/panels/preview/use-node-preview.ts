import { computed, ref, shallowRef, toRaw, watch, type Ref } from 'vue'
import type { NodeProfile } from '../../../../src-shared/api'
import { SluiceFailure } from '../../../../src-shared/errors'
import type { PreviewResult } from '../../../../src-shared/run'
import { api } from '../../host/current-host'
import { translateError } from '../../i18n'
import { usePipelineStore } from '../../stores/pipeline'
import { useRunStore } from '../../stores/run'

/** Rows a preview shows. */
export const previewRows = 200
/** A config edit refreshes the preview this long after the last keystroke. */
const configDebounceMs = 500

/** What a preview of one port holds: its first rows and its profile, each with its own state. */
export interface PortPreview {
  rows: PreviewResult | null
  profile: NodeProfile | null
  loadingRows: boolean
  loadingProfile: boolean
  error: string | null
}

function errorText(thrown: unknown): string {
  return thrown instanceof SluiceFailure
    ? translateError(thrown.error)
    : String((thrown as Error)?.message ?? thrown)
}

/**
 * The selected node's preview and profile, for the port `port` chooses. It refreshes when the
 * selection or the port changes, after a run finishes, and 500 ms after the node's config last
 * changed (the working copy is saved first, since the engine previews what is stored). Answers
 * to an older request are dropped, so a slow profile never overwrites a newer one, and a request
 * waiting behind a running one is skipped when a newer one replaces it.
 */
export function useNodePreview(port: Ref<string | undefined>) {
  const pipeline = usePipelineStore()
  const runs = useRunStore()
  const state = ref<PortPreview>(empty())
  const node = computed(() => pipeline.selectedNode)
  const requested = shallowRef<{ nodeId: string; port: string | undefined } | null>(null)
  let sequence = 0
  let debounce: ReturnType<typeof setTimeout> | undefined
  // One request at a time: two previews of a node that is not staged yet would both stage it,
  // and the staging database refuses the second CREATE (a write-write conflict).
  let inflight: Promise<void> = Promise.resolve()

  function empty(): PortPreview {
    return { rows: null, profile: null, loadingRows: false, loadingProfile: false, error: null }
  }

  async function refresh(): Promise<void> {
    clearTimeout(debounce)
    const pipelineId = pipeline.summary?.id
    const nodeId = node.value?.id
    const mine = ++sequence
    if (!pipelineId || !nodeId) {
      state.value = empty()
      requested.value = null
      return
    }
    const samePlace = requested.value?.nodeId === nodeId && requested.value.port === port.value
    requested.value = { nodeId, port: port.value }
    // Keep the old rows on screen while the same node reloads; a new node starts blank.
    state.value = {
      ...(samePlace ? state.value : empty()),
      loadingRows: true,
      loadingProfile: true,
      error: null,
    }
    const current = (): boolean => mine === sequence
    const previous = inflight
    const work = load(previous, current, pipelineId, nodeId)
    inflight = work
    await work
  }

  async function load(
    previous: Promise<void>,
    current: () => boolean,
    pipelineId: string,
    nodeId: string,
  ): Promise<void> {
    await previous
    if (!current()) {
      return
    }
    try {
      await pipeline.flush()
      const where = { pipelineId, nodeId, ...(port.value ? { port: port.value } : {}) }
      const rows = await api()['preview/node']({ ...where, rows: previewRows })
      if (!current()) {
        return
      }
      state.value = { ...state.value, rows, loadingRows: false }
      const profile = await api()['preview/profile'](where)
      if (current()) {
        state.value = { ...state.value, profile, loadingProfile: false }
      }
    } catch (thrown) {
      if (current()) {
        state.value = {
          ...state.value,
          loadingRows: false,
          loadingProfile: false,
          error: errorText(thrown),
        }
      }
    }
  }

  watch([() => node.value?.id, port], () => void refresh(), { immediate: true })
  watch(
    () => runs.lastFinished,
    () => void refresh(),
  )
  watch(
    () => JSON.stringify(toRaw(node.value?.config ?? null)),
    (now, before) => {
      if (requested.value?.nodeId !== node.value?.id || now === before) {
        return
      }
      clearTimeout(debounce)
      debounce = setTimeout(() => void refresh(), configDebounceMs)
    },
  )

  return { state, node, refresh }
}
