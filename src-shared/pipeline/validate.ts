import type { z } from 'zod'
import { sluiceError, type SluiceError } from '../errors'
import { findNodeKind, type NodeKindSpec, type PortSpec } from '../nodes'
import { pipelineSchema, type Pipeline, type PipelineNode } from './document'
import { findCycles } from './graph'
import { migratePipeline } from './migrate'
import { substituteParameters } from './parameters'

/** A node whose config has been parsed by its kind's schema, with defaults filled in. */
export interface ValidNode extends PipelineNode {
  spec: NodeKindSpec
  inputs: PortSpec[]
  outputs: PortSpec[]
}

/** A pipeline that passed every check; the engine only ever runs these. */
export interface ValidPipeline extends Omit<Pipeline, 'nodes'> {
  nodes: ValidNode[]
}

export type ValidationResult =
  | { ok: true; pipeline: ValidPipeline; migratedFrom?: number }
  | { ok: false; errors: SluiceError[] }

export interface ValidationOptions {
  /** Run-time parameter overrides (`--param k=v`), on top of the document's own parameters. */
  parameters?: Readonly<Record<string, string>>
}

/**
 * Checks a pipeline document and lists every problem found, each naming its node and field:
 * format, duplicate ids, unknown kinds, bad configs, unknown parameters, unknown nodes and ports,
 * inputs connected twice or not at all, and cycles.
 */
export function validatePipeline(raw: unknown, options: ValidationOptions = {}): ValidationResult {
  const migrated = migratePipeline(raw)
  if (!migrated.ok) {
    return { ok: false, errors: [migrated.error] }
  }
  const parsed = pipelineSchema.safeParse(migrated.document)
  if (!parsed.success) {
    return { ok: false, errors: documentShapeErrors(parsed.error, migrated.document) }
  }
  const document = parsed.data
  const errors: SluiceError[] = []
  const values = { ...document.parameters, ...options.parameters }

  const seen = new Set<string>()
  for (const node of document.nodes) {
    if (seen.has(node.id)) {
      errors.push(sluiceError('DUPLICATE_ID', { id: node.id }, { nodeId: node.id, field: 'id' }))
    }
    seen.add(node.id)
  }

  const nodes = new Map<string, ValidNode | null>()
  for (const node of document.nodes) {
    nodes.set(node.id, checkNode(node, values, errors))
  }

  checkEdges(document, nodes, errors)
  for (const cycle of findCycles([...seen], document.edges)) {
    errors.push(
      sluiceError(
        'CYCLE',
        { nodes: cycle.map((id) => `"${id}"`).join(' → ') },
        { nodeId: cycle[0] },
      ),
    )
  }

  if (errors.length > 0) {
    return { ok: false, errors }
  }
  const pipeline: ValidPipeline = {
    ...document,
    nodes: document.nodes.map((node) => nodes.get(node.id) as ValidNode),
  }
  return migrated.migratedFrom === undefined
    ? { ok: true, pipeline }
    : { ok: true, pipeline, migratedFrom: migrated.migratedFrom }
}

function checkNode(
  node: PipelineNode,
  parameterValues: Record<string, string>,
  errors: SluiceError[],
): ValidNode | null {
  const spec = findNodeKind(node.kind)
  if (!spec) {
    errors.push(
      sluiceError(
        'UNKNOWN_KIND',
        { node: node.id, kind: node.kind },
        { nodeId: node.id, field: 'kind' },
      ),
    )
    return null
  }
  const substituted = substituteParameters(node.id, node.config, parameterValues)
  errors.push(...substituted.errors)
  const config = spec.config.safeParse(substituted.config)
  if (!config.success) {
    for (const issue of config.error.issues) {
      errors.push(configError(node.id, issue))
    }
    return null
  }
  return {
    ...node,
    config: config.data,
    spec,
    inputs: spec.inputs(config.data),
    outputs: spec.outputs(config.data),
  }
}

function configError(nodeId: string, issue: z.core.$ZodIssue): SluiceError {
  const keys = issue.code === 'unrecognized_keys' ? issue.keys : []
  const path = [...issue.path, ...(keys.length === 1 ? keys : [])].map(String)
  const field = path.length > 0 ? `config.${path.join('.')}` : 'config'
  const reason =
    issue.code === 'unrecognized_keys' ? `unknown setting ${keys.join(', ')}` : issue.message
  return sluiceError('BAD_CONFIG', { node: nodeId, field, reason }, { nodeId, field })
}

/** Ports of a node whose config failed to parse are unknown, so its edges are not checked. */
function checkEdges(
  document: Pipeline,
  nodes: Map<string, ValidNode | null>,
  errors: SluiceError[],
): void {
  const incoming = new Map<string, number>()
  document.edges.forEach((edge, index) => {
    for (const [end, direction] of [
      [edge.from, 'output'],
      [edge.to, 'input'],
    ] as const) {
      const field = `edges.${index}.${direction === 'output' ? 'from' : 'to'}`
      if (!nodes.has(end.node)) {
        errors.push(sluiceError('UNKNOWN_NODE', { node: end.node }, { field }))
        continue
      }
      const node = nodes.get(end.node)
      const ports = direction === 'output' ? node?.outputs : node?.inputs
      if (ports && !ports.some((port) => port.name === end.port)) {
        errors.push(
          sluiceError(
            'UNKNOWN_PORT',
            { node: end.node, direction, port: end.port },
            { nodeId: end.node, field },
          ),
        )
      }
    }
    const key = `${edge.to.node}\u0000${edge.to.port}`
    incoming.set(key, (incoming.get(key) ?? 0) + 1)
  })
  for (const node of nodes.values()) {
    for (const port of node?.inputs ?? []) {
      const count = incoming.get(`${node?.id}\u0000${port.name}`) ?? 0
      const where = { nodeId: node?.id, field: `inputs.${port.name}` }
      if (count > 1) {
        errors.push(
          sluiceError(
            'INPUT_CONNECTED_TWICE',
            { node: node?.id ?? '', port: port.name, count },
            where,
          ),
        )
      } else if (count === 0 && port.required) {
        errors.push(
          sluiceError('INPUT_NOT_CONNECTED', { node: node?.id ?? '', port: port.name }, where),
        )
      }
    }
  }
}

/** Structural errors (a node without an id, an edge without a port), named by node where known. */
function documentShapeErrors(error: z.ZodError, document: Record<string, unknown>): SluiceError[] {
  const rawNodes = Array.isArray(document.nodes) ? (document.nodes as unknown[]) : []
  return error.issues.map((issue) => {
    const [top, index, ...rest] = issue.path
    const rawNode = top === 'nodes' && typeof index === 'number' ? rawNodes[index] : undefined
    const nodeId =
      typeof rawNode === 'object' &&
      rawNode !== null &&
      'id' in rawNode &&
      typeof rawNode.id === 'string'
        ? rawNode.id
        : undefined
    const field = nodeId ? rest.map(String).join('.') || 'node' : issue.path.map(String).join('.')
    return sluiceError(
      'BAD_CONFIG',
      {
        node: nodeId ?? (top === undefined ? 'pipeline' : String(top)),
        field,
        reason: issue.message,
      },
      { nodeId, field },
    )
  })
}
