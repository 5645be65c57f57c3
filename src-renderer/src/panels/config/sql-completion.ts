import type { ColumnInfo } from './upstream'

/** Words DuckDB reserves: a column named like one must be quoted. */
const reserved = new Set(
  (
    'all and any array as asc between both case cast check collate column constraint create ' +
    'default desc distinct do else end except false fetch for foreign from grant group having ' +
    'in initially intersect into is join lateral leading like limit not null offset on only or ' +
    'order placing primary references returning select some symmetric table then to trailing ' +
    'true union unique using variadic when where window with'
  ).split(' '),
)

/** A column name as DuckDB SQL reads it: bare when it can be, else in double quotes. */
export function quoteIdentifier(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) && !reserved.has(name)
    ? name
    : `"${name.replaceAll('"', '""')}"`
}

/** Keywords offered beside the columns in an expression. */
export const sqlKeywords = [
  'AND',
  'OR',
  'NOT',
  'IS NULL',
  'IS NOT NULL',
  'IN',
  'LIKE',
  'ILIKE',
  'BETWEEN',
  'CASE WHEN',
  'THEN',
  'ELSE',
  'END',
  'CAST',
  'COALESCE',
  'SELECT',
  'FROM',
  'WHERE',
  'GROUP BY',
  'ORDER BY',
  'JOIN',
  'USING',
]

/** One suggestion, independent of Monaco so it can be tested in Node. */
export interface SqlSuggestion {
  label: string
  insertText: string
  detail: string
  kind: 'column' | 'keyword'
  /** Columns sort before keywords. */
  sortText: string
}

/** The suggestions for an editor whose input has `columns`. */
export function sqlSuggestions(columns: readonly ColumnInfo[]): SqlSuggestion[] {
  return [
    ...columns.map((column, index) => ({
      label: column.name,
      insertText: quoteIdentifier(column.name),
      detail: column.type,
      kind: 'column' as const,
      sortText: `0${String(index).padStart(4, '0')}`,
    })),
    ...sqlKeywords.map((keyword) => ({
      label: keyword,
      insertText: keyword,
      detail: '',
      kind: 'keyword' as const,
      sortText: `1${keyword}`,
    })),
  ]
}
