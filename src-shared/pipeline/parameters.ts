import { sluiceError, type SluiceError } from '../errors'

const reference = /\$\{([A-Za-z_][A-Za-z0-9_.-]*)\}/g

/**
 * Replaces `${name}` in every string of a node config with the parameter's value. Unknown names
 * are reported with the node and the field, and left in place. Fields are named from `config`
 * (`config.columns.0.expression`), as config errors name them, so the UI marks the same field.
 */
export function substituteParameters(
  nodeId: string,
  config: Record<string, unknown>,
  values: Readonly<Record<string, string>>,
): { config: Record<string, unknown>; errors: SluiceError[] } {
  const errors: SluiceError[] = []
  const walk = (value: unknown, path: string): unknown => {
    if (typeof value === 'string') {
      return value.replace(reference, (whole, name: string) => {
        if (Object.hasOwn(values, name)) {
          return values[name] as string
        }
        errors.push(
          sluiceError(
            'UNKNOWN_PARAMETER',
            { node: nodeId, field: path, param: whole },
            { nodeId, field: path },
          ),
        )
        return whole
      })
    }
    if (Array.isArray(value)) {
      return value.map((item, index) => walk(item, `${path}.${index}`))
    }
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [key, walk(item, `${path}.${key}`)]),
      )
    }
    return value
  }
  return { config: walk(config, 'config') as Record<string, unknown>, errors }
}

/** Parses `k=v` pairs from the command line into parameter overrides. */
export function parseParameterArguments(pairs: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {}
  for (const pair of pairs) {
    const equals = pair.indexOf('=')
    if (equals <= 0) {
      throw new Error(`--param expects name=value, got "${pair}"`)
    }
    values[pair.slice(0, equals)] = pair.slice(equals + 1)
  }
  return values
}
