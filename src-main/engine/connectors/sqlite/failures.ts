import { sluiceError, SluiceFailure, type SluiceError } from '../../../../src-shared/errors'
import { IdentifierError, quoteIdentifier, type Dialect } from '../database/identifiers'

/**
 * Quotes a name for `dialect`, turning a refused name into `BAD_IDENTIFIER` for the node, so
 * the user reads which name and why.
 */
export function quoteFor(dialect: Dialect, nodeId: string, what: string, name: string): string {
  try {
    return quoteIdentifier(dialect, name)
  } catch (thrown) {
    throw failure(thrown, () => sluiceError('INTERNAL', { reason: String(thrown) }), nodeId, what)
  }
}

/**
 * A thrown value as a `SluiceFailure`: a known failure stays, a refused identifier becomes
 * `BAD_IDENTIFIER`, anything else becomes what `otherwise` builds.
 */
export function failure(
  thrown: unknown,
  otherwise: () => SluiceError,
  nodeId?: string,
  what = 'column',
): SluiceFailure {
  if (thrown instanceof SluiceFailure) {
    return thrown
  }
  if (thrown instanceof IdentifierError) {
    return new SluiceFailure(
      sluiceError(
        'BAD_IDENTIFIER',
        { node: nodeId ?? '', what, name: thrown.identifier, reason: thrown.reason },
        nodeId ? { nodeId } : {},
      ),
    )
  }
  return new SluiceFailure(otherwise())
}

/** How a read's source is named in messages. */
export function sourceName(source: { schema: string; table: string } | { query: string }): string {
  return 'query' in source ? 'the query' : `table "${source.table}"`
}

/** Lets queued events (such as a cancel) run between two batches of synchronous work. */
export function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}
