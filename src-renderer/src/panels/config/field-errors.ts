import type { SluiceError } from '../../../../src-shared/errors'

/**
 * A node's validation errors split by where they show: under the field they name
 * (`config.where`, `config.columns.0.expression`), or above the form when no shown field takes
 * them (an unconnected input, an unknown setting).
 */
export interface NodeErrors {
  /** Errors by their field, e.g. `config.columns.0.expression`. */
  byField: Map<string, SluiceError[]>
  /** Errors of the node that no field of the form shows. */
  general: SluiceError[]
}

/** Splits the errors of node `nodeId` among the fields the form shows (`shownFields`). */
export function nodeErrors(
  errors: readonly SluiceError[],
  nodeId: string,
  shownFields: ReadonlySet<string>,
): NodeErrors {
  const byField = new Map<string, SluiceError[]>()
  const general: SluiceError[] = []
  for (const error of errors) {
    if (error.nodeId !== nodeId) {
      continue
    }
    const field = error.field && shownFields.has(error.field) ? error.field : undefined
    if (field) {
      byField.set(field, [...(byField.get(field) ?? []), error])
    } else {
      general.push(error)
    }
  }
  return { byField, general }
}

/**
 * Every field path a form shows for a config: `config.<key>`, and for lists each item's
 * `config.<key>.<index>` and `config.<key>.<index>.<sub>`.
 */
export function shownFieldPaths(
  fields: ReadonlyArray<{ key: string; kind: string; fields?: ReadonlyArray<{ key: string }> }>,
  config: Record<string, unknown>,
): Set<string> {
  const paths = new Set<string>()
  for (const field of fields) {
    const path = `config.${field.key}`
    paths.add(path)
    const value = config[field.key]
    if (Array.isArray(value)) {
      value.forEach((_item, index) => {
        paths.add(`${path}.${index}`)
        for (const sub of field.fields ?? []) {
          paths.add(`${path}.${index}.${sub.key}`)
        }
      })
    } else if (field.kind === 'record' && value && typeof value === 'object') {
      for (const key of Object.keys(value)) {
        paths.add(`${path}.${key}`)
      }
    }
  }
  return paths
}
