/** Quotes a DuckDB identifier (table or column name); safe for any name a user can type. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

/** Quotes a string literal for DuckDB. Used for file paths and tokens in table functions. */
export function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`
}

/** A list literal of strings, e.g. for `nullstr`. */
export function quoteLiteralList(values: readonly string[]): string {
  return `[${values.map(quoteLiteral).join(', ')}]`
}

/** The table that holds a node's output port in the staging database. */
export function outputTableName(nodeId: string, port: string): string {
  return `${nodeId}__${port}`
}
