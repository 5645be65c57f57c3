/**
 * A plain-text table: each column as wide as its widest cell (capped at `maxWidth`), a rule
 * under the header, columns separated by ` │ `.
 */
export function formatTable(
  header: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
  maxWidth = 40,
): string {
  const widths = header.map((title, index) =>
    Math.min(maxWidth, Math.max(title.length, ...rows.map((row) => (row[index] ?? '').length))),
  )
  const line = (cells: readonly string[]): string =>
    cells.map((text, index) => text.padEnd(widths[index] ?? 0)).join(' │ ')
  return [
    line(header),
    widths.map((width) => '─'.repeat(width)).join('─┼─'),
    ...rows.map(line),
  ].join('\n')
}

/** One value as a table cell: `∅` for null, JSON for objects, cut at 40 characters. */
export function formatCell(value: unknown): string {
  if (value === null || value === undefined) {
    return '∅'
  }
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value)
  return text.length > 40 ? `${text.slice(0, 39)}…` : text
}
