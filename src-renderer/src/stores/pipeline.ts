import { defineStore } from 'pinia'
import { computed, ref, shallowRef, toRaw } from 'vue'
import type { SluiceError } from '../../../src-shared/errors'
import { findNodeKind } from '../../../src-shared/nodes'
import {
  edgeKey,
  validatePipeline,
  type Pipeline,
  type PipelineEdge,
} from '../../../src-shared/pipeline'
import type { PipelineSummary, PipelineVersionInfo } from '../../../src-shared/project'
import { api } from '../host/current-host'
import { copyNodes, newNodeId, pastedNodes, type CopiedNodes } from './node-copies'
import { useProjectStore } from './project'

export type { CopiedNodes } from './node-copies'

/** Undo steps kept per pipeline. */
const historyLimit = 200
/** The working copy is saved this long after the last edit: a crash loses at most this much. */
const autosaveDelayMs = 400
/** Edits with the same merge key this close together are one undo step (a drag, typing). */
const mergeWindowMs = 1000

/** An edge's id on the canvas: its endpoints, which are unique because an input takes one edge. */
export function edgeId(edge: PipelineEdge): string {
  return edge.id ?? edgeKey(edge)
}

/**
 * The pipeline being edited: its working copy, selection and undo history. Every edit replaces
 * the document (so the canvas can tell what changed), records an undo step, and autosaves the
 * working copy shortly after; versions are saved only when the user asks.
 */
export const usePipelineStore = defineStore('pipeline', () => {
  const summary = ref<PipelineSummary | null>(null)
  const document = shallowRef<Pipeline | null>(null)
  const selectedNodeIds = ref<string[]>([])
  const selectedEdgeIds = ref<string[]>([])
  const saveState = ref<'saved' | 'pending' | 'saving' | 'failed'>('saved')
  const saveError = ref<SluiceError | null>(null)

  const past = shallowRef<Pipeline[]>([])
  const future = shallowRef<Pipeline[]>([])
  let lastMerge: { key: string; at: number } | undefined
  let autosaveTimer: ReturnType<typeof setTimeout> | undefined
  let saving: Promise<void> = Promise.resolve()

  const canUndo = computed(() => past.value.length > 0)
  const canRedo = computed(() => future.value.length > 0)
  const unsaved = computed(() => summary.value?.unsaved ?? true)

  /** Every problem of the working copy, checked here as the user edits. */
  const validation = computed(() => {
    if (!document.value) {
      return []
    }
    const result = validatePipeline(document.value, {
      parameters: useProjectStore().parameterValues(),
    })
    return result.ok ? [] : result.errors
  })

  const selectedNode = computed(() => {
    const [only] = selectedNodeIds.value
    return selectedNodeIds.value.length === 1
      ? document.value?.nodes.find((node) => node.id === only)
      : undefined
  })

  async function open(id: string): Promise<void> {
    await flush()
    const detail = await api()['pipeline/get']({ id })
    const { document: loaded, ...rest } = detail
    summary.value = rest
    document.value = loaded
    past.value = []
    future.value = []
    lastMerge = undefined
    selectedNodeIds.value = []
    selectedEdgeIds.value = []
    saveState.value = 'saved'
  }

  async function close(): Promise<void> {
    await flush()
    summary.value = null
    document.value = null
    past.value = []
    future.value = []
  }

  /**
   * Applies one edit to a copy of the document. Edits sharing `mergeKey` within a second (a
   * drag, typing in one field) become one undo step.
   */
  function change(edit: (draft: Pipeline) => void, mergeKey?: string): void {
    const before = document.value
    if (!before) {
      return
    }
    const draft = structuredClone(toRaw(before))
    edit(draft)
    const now = Date.now()
    const merging =
      mergeKey !== undefined && lastMerge?.key === mergeKey && now - lastMerge.at < mergeWindowMs
    if (!merging) {
      past.value = [...past.value, before].slice(-historyLimit)
    }
    future.value = []
    lastMerge = mergeKey === undefined ? undefined : { key: mergeKey, at: now }
    document.value = draft
    scheduleAutosave()
  }

  function undo(): void {
    const previous = past.value.at(-1)
    if (!previous || !document.value) {
      return
    }
    past.value = past.value.slice(0, -1)
    future.value = [...future.value, document.value]
    document.value = previous
    lastMerge = undefined
    keepSelectionValid()
    scheduleAutosave()
  }

  function redo(): void {
    const next = future.value.at(-1)
    if (!next || !document.value) {
      return
    }
    future.value = future.value.slice(0, -1)
    past.value = [...past.value, document.value]
    document.value = next
    lastMerge = undefined
    keepSelectionValid()
    scheduleAutosave()
  }

  /** Adds a node of `kind` at `position` with its defaults (and `config` on top); its id. */
  function addNode(
    kind: string,
    position: { x: number; y: number },
    config: Record<string, unknown> = {},
  ): string {
    const taken = new Set(document.value?.nodes.map((node) => node.id))
    const id = newNodeId(kind, taken)
    const defaults = (findNodeKind(kind)?.defaults ?? {}) as Record<string, unknown>
    change((draft) => {
      draft.nodes.push({ id, kind, position, config: { ...structuredClone(defaults), ...config } })
    })
    selectedNodeIds.value = [id]
    selectedEdgeIds.value = []
    return id
  }

  function connect(edge: PipelineEdge): void {
    change((draft) => {
      draft.edges.push({ from: edge.from, to: edge.to })
    })
  }

  /** Removes the selected nodes (with their edges) and the selected edges. */
  function deleteSelection(): void {
    const nodes = new Set(selectedNodeIds.value)
    const edges = new Set(selectedEdgeIds.value)
    if (nodes.size === 0 && edges.size === 0) {
      return
    }
    change((draft) => {
      draft.nodes = draft.nodes.filter((node) => !nodes.has(node.id))
      draft.edges = draft.edges.filter(
        (edge) =>
          !edges.has(edgeId(edge)) && !nodes.has(edge.from.node) && !nodes.has(edge.to.node),
      )
    })
    selectedNodeIds.value = []
    selectedEdgeIds.value = []
  }

  function moveNodes(positions: Record<string, { x: number; y: number }>): void {
    const ids = Object.keys(positions).sort()
    change(
      (draft) => {
        for (const node of draft.nodes) {
          const position = positions[node.id]
          if (position) {
            node.position = { x: Math.round(position.x), y: Math.round(position.y) }
          }
        }
      },
      `move:${ids.join(',')}`,
    )
  }

  function updateConfig(nodeId: string, config: Record<string, unknown>): void {
    change((draft) => {
      const node = draft.nodes.find((candidate) => candidate.id === nodeId)
      if (node) {
        node.config = structuredClone(config)
      }
    }, `config:${nodeId}`)
  }

  function updateLabel(nodeId: string, label: string): void {
    change((draft) => {
      const node = draft.nodes.find((candidate) => candidate.id === nodeId)
      if (node) {
        node.label = label || undefined
        if (!label) {
          delete node.label
        }
      }
    }, `label:${nodeId}`)
  }

  function select(nodeIds: string[], edgeIds: string[] = []): void {
    selectedNodeIds.value = nodeIds
    selectedEdgeIds.value = edgeIds
  }

  function selectAll(): void {
    select(
      document.value?.nodes.map((node) => node.id) ?? [],
      document.value?.edges.map(edgeId) ?? [],
    )
  }

  /** The selected nodes with their configs, and the edges among them. */
  function copySelection(): CopiedNodes | null {
    return document.value ? copyNodes(toRaw(document.value), new Set(selectedNodeIds.value)) : null
  }

  /** Pastes copied nodes under fresh ids, shifted by `offset`, and selects them. */
  function paste(copied: CopiedNodes, offset = { x: 40, y: 40 }): void {
    if (!document.value || copied.nodes.length === 0) {
      return
    }
    const pasted = pastedNodes(toRaw(document.value), copied, offset)
    change((draft) => {
      draft.nodes.push(...pasted.nodes)
      draft.edges.push(...pasted.edges)
    })
    select(pasted.nodes.map((node) => node.id))
  }

  function keepSelectionValid(): void {
    const nodes = new Set(document.value?.nodes.map((node) => node.id))
    const edges = new Set(document.value?.edges.map(edgeId))
    selectedNodeIds.value = selectedNodeIds.value.filter((id) => nodes.has(id))
    selectedEdgeIds.value = selectedEdgeIds.value.filter((id) => edges.has(id))
  }

  function isPending(): boolean {
    return saveState.value === 'pending'
  }

  function scheduleAutosave(): void {
    saveState.value = 'pending'
    clearTimeout(autosaveTimer)
    autosaveTimer = setTimeout(() => void flush(), autosaveDelayMs)
  }

  /** Saves the working copy now if an edit is waiting; resolves when it is stored. */
  async function flush(): Promise<void> {
    clearTimeout(autosaveTimer)
    autosaveTimer = undefined
    await saving
    const id = summary.value?.id
    const pending = document.value
    if (saveState.value !== 'pending' || !id || !pending) {
      return
    }
    saveState.value = 'saving'
    saving = api()
      ['pipeline/autosave']({ id, document: toRaw(pending) })
      .then((saved) => {
        if (summary.value?.id === saved.id) {
          summary.value = saved
        }
        saveError.value = null
        saveState.value = document.value === pending ? 'saved' : 'pending'
      })
      .catch((thrown: unknown) => {
        saveState.value = 'failed'
        saveError.value = (thrown as { error?: SluiceError }).error ?? null
      })
    await saving
    // An edit made while saving waits its turn (the state changes while this awaits).
    if (isPending()) {
      await flush()
    }
  }

  async function saveVersion(message: string): Promise<PipelineVersionInfo | null> {
    const id = summary.value?.id
    if (!id) {
      return null
    }
    await flush()
    const version = await api()['pipeline/saveVersion']({ id, message })
    await refreshSummary()
    return version
  }

  async function restoreVersion(version: number): Promise<PipelineVersionInfo | null> {
    const id = summary.value?.id
    if (!id) {
      return null
    }
    await flush()
    const restored = await api()['pipeline/restore']({ id, version })
    const detail = await api()['pipeline/get']({ id })
    // Restoring is itself undoable: the document before it is one step back.
    const before = document.value
    if (before) {
      past.value = [...past.value, before].slice(-historyLimit)
      future.value = []
    }
    const { document: restoredDocument, ...rest } = detail
    summary.value = rest
    document.value = restoredDocument
    keepSelectionValid()
    return restored
  }

  async function refreshSummary(): Promise<void> {
    const id = summary.value?.id
    if (id) {
      const { document: _document, ...rest } = await api()['pipeline/get']({ id })
      summary.value = rest
    }
  }

  return {
    summary,
    document,
    selectedNodeIds,
    selectedEdgeIds,
    selectedNode,
    saveState,
    saveError,
    canUndo,
    canRedo,
    unsaved,
    validation,
    open,
    close,
    change,
    undo,
    redo,
    addNode,
    connect,
    deleteSelection,
    moveNodes,
    updateConfig,
    updateLabel,
    select,
    selectAll,
    copySelection,
    paste,
    flush,
    saveVersion,
    restoreVersion,
  }
})
