import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import type { Pipeline, PipelineNode } from '../src-shared/pipeline'
import { repoRoot } from './measure'

/** The sample project's pipeline, run as it ships. */
export const samplePipeline = join(repoRoot, 'resources', 'samples', 'orders', 'pipeline.json')

const loosePipeline = z.looseObject({
  nodes: z.array(z.looseObject({ id: z.string(), kind: z.string() })),
  edges: z.array(
    z.looseObject({ from: z.object({ node: z.string() }), to: z.object({ node: z.string() }) }),
  ),
})

/**
 * Writes a copy of the sample pipeline with only some of its nodes (same ids and configs, so
 * the same fingerprints) and the edges between them, and returns its path.
 */
export function writeSampleSubset(
  path: string,
  name: string,
  keep: (node: { id: string; kind: string }) => boolean,
): string {
  const document = loosePipeline.parse(JSON.parse(readFileSync(samplePipeline, 'utf8')))
  const nodes = document.nodes.filter(keep)
  const ids = new Set(nodes.map((node) => node.id))
  const edges = document.edges.filter((edge) => ids.has(edge.from.node) && ids.has(edge.to.node))
  writeFileSync(path, JSON.stringify({ ...document, name, nodes, edges }, null, 2))
  return path
}

/** A chain of `count` nodes with realistic configs: a CSV source, transforms, a CSV sink. */
export function chainPipeline(count: number, variant: number): Pipeline {
  const nodes: PipelineNode[] = [
    {
      id: 'n0',
      kind: 'source.csv',
      position: { x: 0, y: 0 },
      config: { path: '${data}/orders.csv', delimiter: ',', header: true },
    },
  ]
  for (let index = 1; index < count - 1; index += 1) {
    const position = { x: index * 220, y: (index % 5) * 90 }
    const config =
      index % 3 === 0
        ? { where: `amount > ${index + variant} AND status <> 'void'` }
        : index % 3 === 1
          ? { columns: [{ name: `c${index}`, expression: `round(amount * ${index}, 2)` }] }
          : { columns: [{ column: 'customer_email', type: 'VARCHAR' }] }
    const kind =
      index % 3 === 0 ? 'transform.filter' : index % 3 === 1 ? 'transform.derive' : 'transform.cast'
    nodes.push({ id: `n${index}`, kind, position, label: `Step ${index}`, config })
  }
  nodes.push({
    id: `n${count - 1}`,
    kind: 'sink.csv',
    position: { x: count * 220, y: 0 },
    config: { path: '${output}/out.csv' },
  })
  const edges = nodes.slice(1).map((node, index) => ({
    from: { node: `n${index}`, port: 'out' },
    to: { node: node.id, port: 'in' },
  }))
  return {
    formatVersion: 1,
    name: `Chain ${count}`,
    parameters: { data: 'data', output: 'out' },
    nodes,
    edges,
  }
}
