import type { EdgeChange, NodeChange, VueFlowStore, XYPosition } from '@vue-flow/core'
import { usePipelineStore } from '../stores/pipeline'

/**
 * The canvas's answer to Vue Flow's changes in a controlled flow (`:apply-default="false"`):
 * measured sizes and positions during a drag apply to the view at once; a drag that ends (or an
 * arrow-key nudge) is written to the store as one move, which is one undo step; selection goes to
 * the store, which hands it back through the derived nodes and edges. Adds and removes made by
 * Vue Flow itself are ignored: the store adds and deletes.
 */
export function useFlowChanges(flow: VueFlowStore): {
  onNodesChange: (changes: NodeChange[]) => void
  onEdgesChange: (changes: EdgeChange[]) => void
} {
  const pipeline = usePipelineStore()

  function onNodesChange(changes: NodeChange[]): void {
    const view: NodeChange[] = []
    const settled: string[] = []
    let selection: Set<string> | null = null
    for (const change of changes) {
      if (change.type === 'dimensions') {
        view.push(change)
      } else if (change.type === 'position') {
        view.push(change)
        if (!change.dragging) {
          settled.push(change.id)
        }
      } else if (change.type === 'select') {
        selection ??= new Set(pipeline.selectedNodeIds)
        if (change.selected) {
          selection.add(change.id)
        } else {
          selection.delete(change.id)
        }
      }
    }
    if (view.length > 0) {
      flow.applyNodeChanges(view)
    }
    if (settled.length > 0) {
      commitPositions(settled)
    }
    if (selection) {
      pipeline.select([...selection], pipeline.selectedEdgeIds)
    }
  }

  function onEdgesChange(changes: EdgeChange[]): void {
    let selection: Set<string> | null = null
    for (const change of changes) {
      if (change.type === 'select') {
        selection ??= new Set(pipeline.selectedEdgeIds)
        if (change.selected) {
          selection.add(change.id)
        } else {
          selection.delete(change.id)
        }
      }
    }
    if (selection) {
      pipeline.select(pipeline.selectedNodeIds, [...selection])
    }
  }

  /** Writes where the view put these nodes, unless the move ended where it started. */
  function commitPositions(ids: string[]): void {
    const stored = new Map(pipeline.document?.nodes.map((node) => [node.id, node.position]))
    const positions: Record<string, XYPosition> = {}
    let moved = false
    for (const id of ids) {
      const position = flow.findNode(id)?.position
      const before = stored.get(id)
      if (!position || !before) {
        continue
      }
      positions[id] = { x: position.x, y: position.y }
      moved ||= Math.round(position.x) !== before.x || Math.round(position.y) !== before.y
    }
    if (moved) {
      pipeline.moveNodes(positions)
    }
  }

  return { onNodesChange, onEdgesChange }
}
