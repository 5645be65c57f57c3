import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
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
