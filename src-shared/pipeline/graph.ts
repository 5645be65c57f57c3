import type { PipelineEdge } from './document'

/** Node ids in an order where every node comes after all its inputs; null when there is a cycle. */
export function topologicalOrder(
  nodeIds: readonly string[],
  edges: readonly PipelineEdge[],
): string[] | null {
  const indegree = new Map(nodeIds.map((id) => [id, 0]))
  const downstream = new Map<string, string[]>(nodeIds.map((id) => [id, []]))
  for (const edge of edges) {
    if (indegree.has(edge.from.node) && indegree.has(edge.to.node)) {
      indegree.set(edge.to.node, (indegree.get(edge.to.node) ?? 0) + 1)
      downstream.get(edge.from.node)?.push(edge.to.node)
    }
  }
  const ready = nodeIds.filter((id) => indegree.get(id) === 0)
  const order: string[] = []
  while (ready.length > 0) {
    const id = ready.shift() as string
    order.push(id)
    for (const next of downstream.get(id) ?? []) {
      const left = (indegree.get(next) ?? 0) - 1
      indegree.set(next, left)
      if (left === 0) {
        ready.push(next)
      }
    }
  }
  return order.length === nodeIds.length ? order : null
}

/** The groups of nodes that form cycles (strongly connected components with a loop), by Tarjan. */
export function findCycles(nodeIds: readonly string[], edges: readonly PipelineEdge[]): string[][] {
  const next = new Map<string, string[]>(nodeIds.map((id) => [id, []]))
  for (const edge of edges) {
    next.get(edge.from.node)?.push(edge.to.node)
  }
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const onStack = new Set<string>()
  const stack: string[] = []
  const cycles: string[][] = []
  let counter = 0
  const visit = (id: string): void => {
    index.set(id, counter)
    low.set(id, counter)
    counter += 1
    stack.push(id)
    onStack.add(id)
    for (const to of next.get(id) ?? []) {
      if (!index.has(to)) {
        visit(to)
        low.set(id, Math.min(low.get(id) ?? 0, low.get(to) ?? 0))
      } else if (onStack.has(to)) {
        low.set(id, Math.min(low.get(id) ?? 0, index.get(to) ?? 0))
      }
    }
    if (low.get(id) === index.get(id)) {
      const component: string[] = []
      let member: string | undefined
      do {
        member = stack.pop()
        if (member !== undefined) {
          onStack.delete(member)
          component.push(member)
        }
      } while (member !== undefined && member !== id)
      const selfLoop = (next.get(id) ?? []).includes(id)
      if (component.length > 1 || selfLoop) {
        cycles.push(component.reverse())
      }
    }
  }
  for (const id of nodeIds) {
    if (!index.has(id)) {
      visit(id)
    }
  }
  return cycles
}

/**
 * The part of a pipeline a node needs: the node, everything upstream of it, and the edges
 * between them ("run to the selected node"). Problems elsewhere in the pipeline do not stop it.
 */
export function pipelineUpTo<T extends { nodes: Array<{ id: string }>; edges: PipelineEdge[] }>(
  pipeline: T,
  nodeId: string,
): T {
  const needed = new Set<string>([nodeId])
  const pending = [nodeId]
  while (pending.length > 0) {
    const id = pending.pop() as string
    for (const edge of pipeline.edges) {
      if (edge.to.node === id && !needed.has(edge.from.node)) {
        needed.add(edge.from.node)
        pending.push(edge.from.node)
      }
    }
  }
  return {
    ...pipeline,
    nodes: pipeline.nodes.filter((node) => needed.has(node.id)),
    edges: pipeline.edges.filter((edge) => needed.has(edge.from.node) && needed.has(edge.to.node)),
  }
}
