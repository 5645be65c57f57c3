import { z } from 'zod'

/** The format this build writes. Older documents are migrated on load (see `migrate.ts`). */
export const currentFormatVersion = 1

export const portRefSchema = z.object({
  node: z.string().min(1),
  port: z.string().min(1),
})

export const pipelineNodeSchema = z.object({
  id: z.string().min(1),
  kind: z.string().min(1),
  label: z.string().optional(),
  notes: z.string().optional(),
  position: z.object({ x: z.number(), y: z.number() }).default({ x: 0, y: 0 }),
  config: z.record(z.string(), z.unknown()).default({}),
})

export const pipelineEdgeSchema = z.object({
  id: z.string().optional(),
  from: portRefSchema,
  to: portRefSchema,
})

/** The pipeline document as stored and exchanged; node configs are checked per kind separately. */
export const pipelineSchema = z.object({
  formatVersion: z.literal(currentFormatVersion),
  name: z.string().default('Untitled pipeline'),
  description: z.string().optional(),
  /** Project-level variables used in configs as `${name}`; run-time overrides replace them. */
  parameters: z.record(z.string(), z.string()).default({}),
  nodes: z.array(pipelineNodeSchema),
  edges: z.array(pipelineEdgeSchema).default([]),
})

export type PortRef = z.infer<typeof portRefSchema>
export type PipelineNode = z.infer<typeof pipelineNodeSchema>
export type PipelineEdge = z.infer<typeof pipelineEdgeSchema>
export type Pipeline = z.infer<typeof pipelineSchema>
