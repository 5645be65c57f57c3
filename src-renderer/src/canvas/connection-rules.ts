import type { PortSpec } from '../../../src-shared/nodes'
import type { Pipeline, PipelineEdge } from '../../../src-shared/pipeline'
import { nodePorts } from './node-ports'

/** A connection as Vue Flow reports it: from a source node's handle to a target node's handle. */
export interface ConnectionRequest {
  source: string
  sourceHandle?: string | null
  target: string
  targetHandle?: string | null
}

/** Why a connection was refused; the canvas words each one for the user. */
export type ConnectionRefusal =
  'same-node' | 'input-taken' | 'cycle' | 'wrong-direction' | 'unknown-port'

/** The outcome of a check: the edge to add, or the reason and the end that is at fault. */
export type ConnectionCheck =
  | { ok: true; edge: PipelineEdge }
  | { ok: false; reason: ConnectionRefusal; node: string; port: string }

/**
 * Decides whether a connection drawn on the canvas may become an edge of `document`: an output to
 * an input of another node, into an input that is still free, without closing a cycle.
 */
export function checkConnection(document: Pipeline, request: ConnectionRequest): ConnectionCheck {
  const source = document.nodes.find((node) => node.id === request.source)
  const target = document.nodes.find((node) => node.id === request.target)
  if (!source || !target) {
    const missing = source ? request.target : request.source
    return { ok: false, reason: 'unknown-port', node: missing, port: '' }
  }
  const sourcePorts = nodePorts(source)
  const targetPorts = nodePorts(target)
  const from = request.sourceHandle ?? soleName(sourcePorts.outputs)
  const to = request.targetHandle ?? soleName(targetPorts.inputs)
  if (source.id === target.id) {
    return { ok: false, reason: 'same-node', node: target.id, port: to ?? '' }
  }
  const fromIsOutput = hasPort(sourcePorts.outputs, from)
  const toIsInput = hasPort(targetPorts.inputs, to)
  if (!fromIsOutput || !toIsInput) {
    // Both ends exist but point the same way: output to output, or input to input.
    const drawnBackwards = hasPort(sourcePorts.inputs, from) || hasPort(targetPorts.outputs, to)
    const [node, port] = toIsInput ? [source.id, from] : [target.id, to]
    return {
      ok: false,
      reason: drawnBackwards ? 'wrong-direction' : 'unknown-port',
      node,
      port: port ?? '',
    }
  }
  const edge: PipelineEdge = {
    from: { node: source.id, port: from as string },
    to: { node: target.id, port: to as string },
  }
  if (document.edges.some((taken) => taken.to.node === target.id && taken.to.port === to)) {
    return { ok: false, reason: 'input-taken', node: target.id, port: edge.to.port }
  }
  if (reaches(document.edges, target.id, source.id)) {
    return { ok: false, reason: 'cycle', node: target.id, port: edge.to.port }
  }
  return { ok: true, edge }
}

function soleName(ports: readonly PortSpec[]): string | undefined {
  const [only] = ports
  return ports.length === 1 ? only?.name : undefined
}

function hasPort(ports: readonly PortSpec[], name: string | undefined): boolean {
  return name !== undefined && ports.some((port) => port.name === name)
}

/** True when `to` is downstream of `from` (or is `from`). */
function reaches(edges: readonly PipelineEdge[], from: string, to: string): boolean {
  const next = new Map<string, string[]>()
  for (const edge of edges) {
    next.set(edge.from.node, [...(next.get(edge.from.node) ?? []), edge.to.node])
  }
  const seen = new Set<string>()
  const queue = [from]
  while (queue.length > 0) {
    const id = queue.pop() as string
    if (id === to) {
      return true
    }
    if (!seen.has(id)) {
      seen.add(id)
      queue.push(...(next.get(id) ?? []))
    }
  }
  return false
}
