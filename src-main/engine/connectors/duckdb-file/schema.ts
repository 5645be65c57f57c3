import type { ColumnInfo } from '../../nodes/executor'

/** A column of an existing target table, from `duckdb_columns()`. */
export interface TableColumn {
  name: string
  type: string
  nullable: boolean
  defaulted: boolean
}

type Category = 'boolean' | 'number' | 'temporal' | 'text' | 'blob' | 'nested' | 'other'

function categoryOf(type: string): Category {
  const upper = type.toUpperCase()
  if (upper.endsWith(']') || /^(STRUCT|MAP|UNION)\b/.test(upper)) {
    return 'nested'
  }
  if (upper === 'BOOLEAN') {
    return 'boolean'
  }
  if (/^(U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?|FLOAT|DOUBLE|DECIMAL.*|BIGNUM|VARINT)$/.test(upper)) {
    return 'number'
  }
  if (/^(DATE|TIME.*|TIMESTAMP.*)$/.test(upper)) {
    return 'temporal'
  }
  if (upper === 'VARCHAR' || upper === 'JSON' || upper.startsWith('ENUM')) {
    return 'text'
  }
  if (upper === 'BLOB') {
    return 'blob'
  }
  return 'other'
}

/**
 * Whether DuckDB can store input values of `input` in a column of `target` without turning
 * them into something else: same kind of value, booleans and numbers, or anything into text.
 */
function fits(input: string, target: string): boolean {
  const from = categoryOf(input)
  const to = categoryOf(target)
  if (input.toUpperCase() === target.toUpperCase() || to === 'text') {
    return true
  }
  if (from === 'nested' || to === 'nested' || from === 'other' || to === 'other') {
    return false
  }
  return from === to || (from === 'boolean' && to === 'number')
}

/**
 * Every difference between the input and an existing table, matched by name without case (as
 * DuckDB matches names): extra input columns, required table columns the input lacks, and
 * columns whose types do not fit.
 */
export function schemaDifferences(input: ColumnInfo[], existing: TableColumn[]): string[] {
  const folded = (name: string) => name.normalize('NFC').toLowerCase()
  const problems: string[] = []
  for (const column of input) {
    const match = existing.find((candidate) => folded(candidate.name) === folded(column.name))
    if (!match) {
      problems.push(`the table has no column "${column.name}"`)
    } else if (!fits(column.type, match.type)) {
      problems.push(
        `column "${column.name}" is ${match.type} in the table but ${column.type} in the input`,
      )
    }
  }
  for (const column of existing) {
    const required = !column.nullable && !column.defaulted
    if (required && !input.some((candidate) => folded(candidate.name) === folded(column.name))) {
      problems.push(
        `the input has no column "${column.name}", which the table requires (NOT NULL without a default)`,
      )
    }
  }
  return problems
}
