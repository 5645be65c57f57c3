/**
 * The name of the row-order column some transforms add while they work. DuckDB keeps a table's
 * insertion order on scan (`preserve_insertion_order`), so numbering rows with `row_number()
 * OVER ()` reproduces the file's order; it is removed before the result is stored.
 */
export const rowOrderColumn = '__sluice_row'

/** The input with a row-number column appended. */
export function numberRows(ref: string): string {
  return `SELECT *, row_number() OVER () AS ${rowOrderColumn} FROM ${ref}`
}
