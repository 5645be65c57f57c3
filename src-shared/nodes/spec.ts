import type { z } from 'zod'

export type NodeFamily = 'source' | 'transform' | 'quality' | 'sink'

/** One input or output of a node kind. */
export interface PortSpec {
  name: string
  /** Inputs only: the pipeline is invalid while a required input is unconnected. */
  required: boolean
  help: string
}

/**
 * The declaration of a node kind: everything the UI needs to draw a palette entry and a config
 * form, and everything validation needs. Its engine implementation lives in
 * `src-main/engine/nodes/<kind>.ts`.
 */
export interface NodeKindSpec<Config extends Record<string, unknown> = Record<string, unknown>> {
  kind: string
  family: NodeFamily
  title: string
  help: string
  /** Parses and defaults a config; errors name the field. */
  config: z.ZodType<Config, Record<string, unknown>>
  /** A config that parses for a node just dropped on the canvas, before the user fills it in. */
  defaults: Partial<Config>
  /** Ports can depend on the config (custom SQL names its inputs). */
  inputs: (config: Config) => PortSpec[]
  outputs: (config: Config) => PortSpec[]
}

/** Declares a kind with its config type inferred from its schema. */
export function defineNodeKind<
  Schema extends z.ZodType<Record<string, unknown>, Record<string, unknown>>,
>(
  spec: Omit<NodeKindSpec<z.output<Schema>>, 'config'> & { config: Schema },
): NodeKindSpec<z.output<Schema>> {
  return spec as unknown as NodeKindSpec<z.output<Schema>>
}

export const onePort = (name: string, help: string, required = true): PortSpec[] => [
  { name, required, help },
]
