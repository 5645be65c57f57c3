import { createHash } from 'node:crypto'
import { topologicalOrder, type ValidNode, type ValidPipeline } from '../../../src-shared/pipeline'
import { executorFor } from '../nodes/registry'
import type { NodeExecutor } from '../nodes/executor'

/** One node of a run, with where its inputs come from and its fingerprint. */
export interface PlannedNode {
  node: ValidNode
  executor: NodeExecutor
  /** Input port → the upstream node and port feeding it. */
  inputs: Record<string, { node: string; port: string }>
  fingerprint: string
  /**
   * A transform read by exactly one other transform becomes a view rather than a stored table:
   * DuckDB then computes it inside its consumer's query. Writing a table into the staging file
   * costs several times computing it, and a result with one reader is not worth keeping.
   */
  inline: boolean
}

/** Nodes in dependency order, each with a fingerprint; used by runs and previews alike. */
export interface Plan {
  nodes: PlannedNode[]
  byId: Map<string, PlannedNode>
}

/**
 * Orders the pipeline and fingerprints every node: a hash of its kind, its parsed config, the
 * fingerprints feeding each input port, and for sources the identity of the data they read.
 */
export async function planPipeline(pipeline: ValidPipeline, baseDir: string): Promise<Plan> {
  const order = topologicalOrder(
    pipeline.nodes.map((node) => node.id),
    pipeline.edges,
  )
  if (!order) {
    throw new Error('cannot plan a pipeline with a cycle; validate it first')
  }
  const nodes = new Map(pipeline.nodes.map((node) => [node.id, node]))
  const byId = new Map<string, PlannedNode>()
  const planned: PlannedNode[] = []
  for (const id of order) {
    const node = nodes.get(id) as ValidNode
    const executor = executorFor(node.kind)
    const inputs: PlannedNode['inputs'] = {}
    for (const edge of pipeline.edges) {
      if (edge.to.node === id) {
        inputs[edge.to.port] = edge.from
      }
    }
    const hash = createHash('sha256')
    hash.update(`${node.kind}\n${canonicalJson(node.config)}\n`)
    for (const port of Object.keys(inputs).sort()) {
      const from = inputs[port] as { node: string; port: string }
      hash.update(`${port}<-${byId.get(from.node)?.fingerprint}:${from.port}\n`)
    }
    if (executor.role === 'source') {
      hash.update(await sourceIdentity(executor, node, baseDir))
    }
    const readers = pipeline.edges.filter((edge) => edge.from.node === id)
    const onlyReader = readers.length === 1 ? nodes.get(readers[0]?.to.node ?? '') : undefined
    const inline =
      executor.role === 'transform' &&
      onlyReader !== undefined &&
      onlyReader.spec.family === 'transform'
    const entry = { node, executor, inputs, fingerprint: hash.digest('hex').slice(0, 32), inline }
    byId.set(id, entry)
    planned.push(entry)
  }
  return { nodes: planned, byId }
}

/** A source whose data cannot be identified (missing file) gets a unique identity: it will run and fail with the real reason. */
async function sourceIdentity(
  executor: Extract<NodeExecutor, { role: 'source' }>,
  node: ValidNode,
  baseDir: string,
): Promise<string> {
  try {
    return await executor.identify(node.config, baseDir)
  } catch {
    return `unidentified:${Date.now()}:${Math.random()}`
  }
}

/** JSON with sorted keys, so equal configs hash equally whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(',')}]`
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}
