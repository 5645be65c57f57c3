import type { SqliteDatabase } from './open'

/** Rows shown per kind of change in a dry run. */
export const sampleRows = 5

/** The rows of a sample query, as JSON-safe values (blobs as hex text). */
export function sampleQuery(database: SqliteDatabase, sql: string): Array<Record<string, unknown>> {
  const rows = database.prepare(sql).all() as Array<Record<string, unknown>>
  return rows.map((row) => {
    const safe: Record<string, unknown> = Object.create(null) as Record<string, unknown>
    for (const [name, value] of Object.entries(row)) {
      safe[name] = value instanceof Uint8Array ? `\\x${Buffer.from(value).toString('hex')}` : value
    }
    return safe
  })
}
