import type { ReadRequest } from '../database/contract'
import { quoteIdentifier, quoteQualified } from '../database/identifiers'

/** The SELECT a read sends, and the values bound to its placeholders. */
export interface ReadStatement {
  sql: string
  values: string[]
}

const lookbackUnits: Record<string, string> = {
  microsecond: 'MICROSECOND',
  second: 'SECOND',
  sec: 'SECOND',
  minute: 'MINUTE',
  min: 'MINUTE',
  hour: 'HOUR',
  day: 'DAY',
  week: 'WEEK',
  month: 'MONTH',
  year: 'YEAR',
}

/**
 * A look-back window as SQL to subtract from the bound watermark: a number for increasing ids
 * (`500`), or an amount and a unit for times (`2 hours`). The amount is bound; the unit is a
 * keyword from a fixed list, since MySQL cannot bind one.
 */
export function lookbackExpression(lookback: string): { sql: string; values: string[] } | null {
  const text = lookback.trim().toLowerCase()
  if (text === '') {
    return null
  }
  if (/^\d+(\.\d+)?$/.test(text)) {
    return { sql: ' - ?', values: [text] }
  }
  const match = /^(\d+)\s*([a-z]+?)s?$/.exec(text)
  const unit = match ? lookbackUnits[match[2] ?? ''] : undefined
  if (!match || !unit) {
    throw new Error(
      `the look-back "${lookback}" is not a number or an amount of time such as "2 hours"`,
    )
  }
  return { sql: ` - INTERVAL ? ${unit}`, values: [match[1] ?? '0'] }
}

/**
 * Builds the server-side SELECT: chosen columns (quoted), the user's condition in parentheses
 * so an `OR` in it cannot escape, and for incremental reads `column > watermark - lookback`.
 */
export function readStatement(request: ReadRequest): ReadStatement {
  const from =
    'query' in request.source
      ? `(${request.source.query.trim().replace(/;\s*$/, '')}\n) AS sluice_source`
      : quoteQualified('mysql', request.source.schema, request.source.table)
  const columns =
    request.columns.length === 0
      ? '*'
      : request.columns.map((name) => quoteIdentifier('mysql', name)).join(', ')
  const conditions: string[] = []
  const values: string[] = []
  if (request.where.trim() !== '') {
    // The line break ends a trailing `-- comment` in the condition before the parenthesis.
    conditions.push(`(${request.where}\n)`)
  }
  const incremental = request.incremental
  if (incremental && incremental.after !== null) {
    const lookback = lookbackExpression(incremental.lookback)
    conditions.push(
      `${quoteIdentifier('mysql', incremental.column)} > ?${lookback ? lookback.sql : ''}`,
    )
    values.push(incremental.after, ...(lookback ? lookback.values : []))
  }
  const where = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : ''
  return { sql: `SELECT ${columns} FROM ${from}${where}`, values }
}

/** How the source is named in errors: `table db.orders` or `a query`. */
export function sourceName(request: ReadRequest): string {
  return 'query' in request.source
    ? 'its query'
    : `table ${request.source.schema ? `${request.source.schema}.` : ''}${request.source.table}`
}
