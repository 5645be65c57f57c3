import { findNodeKind, type NodeKindSpec, type PortSpec } from '../../../src-shared/nodes'
import type { PipelineNode } from '../../../src-shared/pipeline'

/** A node's inputs and outputs as the canvas draws them. */
export interface NodePorts {
  inputs: PortSpec[]
  outputs: PortSpec[]
}

const noPorts: NodePorts = { inputs: [], outputs: [] }

/**
 * The ports of a node, also while its config is incomplete (a node just dropped has no path yet):
 * the parsed config when it parses, else the config as it is, else the kind's defaults.
 */
export function nodePorts(node: Pick<PipelineNode, 'kind' | 'config'>): NodePorts {
  const spec = findNodeKind(node.kind)
  if (!spec) {
    return noPorts
  }
  const parsed = spec.config.safeParse(node.config)
  const candidates: Record<string, unknown>[] = parsed.success
    ? [parsed.data]
    : [node.config, spec.defaults as Record<string, unknown>]
  for (const config of candidates) {
    const ports = portsFor(spec, config)
    if (ports) {
      return ports
    }
  }
  return noPorts
}

function portsFor(spec: NodeKindSpec, config: Record<string, unknown>): NodePorts | null {
  try {
    return { inputs: spec.inputs(config), outputs: spec.outputs(config) }
  } catch {
    // A port function read a config field that is missing or of the wrong type.
    return null
  }
}
