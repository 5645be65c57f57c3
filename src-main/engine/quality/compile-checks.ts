import { quoteIdent } from '../duckdb/quote'
import type { ColumnInfo, InputRelation } from '../nodes/executor'
import { text, type CompiledRowRule } from './rule-input'

/** The row key column of the checked relation: input order, and how samples are found again. */
export const rowKey = quoteIdent('__sluice_row')

/** The flag column of the k-th row rule in the checked relation. */
export const flagColumn = (k: number): string => quoteIdent(`__sluice_f${k}`)

/**
 * The SQL of one check node's work over its input. Every row rule becomes one boolean column of a
 * single checked relation, so the input is read once for all the counts, and `pass` and `fail`
 * are filters of the same relation.
 */
export interface CheckQueries {
  /** A temporary table of whole checked rows to build first, when the input is a view. */
  stage?: { table: string; sql: string }
  /**
   * One aggregate over the checked relation: rows, failing rows, per rule tested/failed and its
   * first five failing rows (a list of structs), per input column its non-NULL count.
   */
  counts: string
  /** The rows failing no rule, input columns only. */
  pass: string
  /** The rows failing some rule, once each, with `_check` and `_reason`. */
  fail: string
  /**
   * How the first five failing rows of each rule are read once `counts` is stored in a table.
   * Over a view numbered by `row_number()` a second read may number its rows differently, so
   * `counts` takes the rows themselves (`rows(table, k)` unnests rule k's); over a table, whose
   * row ids stay put, it takes only their keys, and `lookup(keys)` reads those rows (a SQL list
   * of keys) for all rules at once, which costs far less than carrying whole rows in the pass.
   */
  samples:
    | { inPass: true; rows(table: string, k: number): string }
    | { inPass: false; lookup(keys: string): string }
  /** Whether `pass` and `fail` must be stored as tables (they read a temporary table). */
  materialise: boolean
}

/** What the compiler needs to know about the input besides its relation. */
export interface CheckInput {
  relation: InputRelation
  /** The input is a base table, so DuckDB's `rowid` numbers its rows for free. */
  hasRowIds: boolean
  /** The input (or the reference) is a preview's temporary relation, which vanishes. */
  temporary: boolean
  /** A name for a temporary table, unique on the connection (the node's id goes in it). */
  temporaryName: string
}

/** The column names of `count`, by rule index. */
export const countColumns = {
  tested: (k: number) => `tested${k}`,
  failed: (k: number) => `failed${k}`,
  samples: (k: number) => `samples${k}`,
  filled: (c: number) => `filled${c}`,
}

/** Builds the queries for `rules` (row rules only; dataset rules are judged apart). */
export function compileCheckQueries(input: CheckInput, rules: CompiledRowRule[]): CheckQueries {
  const columns = input.relation.columns
  const ref = input.relation.ref
  const list = (of: ColumnInfo[]): string =>
    of.length > 0 ? of.map((column) => quoteIdent(column.name)).join(', ') : '*'
  const flags = rules.map((compiled, k) => `, ${compiled.flag} AS ${flagColumn(k)}`).join('')
  const joins = rules.flatMap((compiled) => compiled.context?.joins ?? [])
  const helpers = rules.flatMap((compiled) => compiled.context?.columns ?? [])
  const rowSource = input.hasRowIds
    ? `(SELECT *, rowid AS ${rowKey} FROM ${ref})`
    : `(SELECT *, row_number() OVER () AS ${rowKey} FROM ${ref})`
  const base = `SELECT i.*${helpers.map((helper) => `, ${helper}`).join('')} FROM ${rowSource} i ${joins.join(' ')}`
  // Over stored inputs every output is a view: the node itself costs one aggregate pass, and
  // the rows are computed only when something reads them. A preview's temporary input would
  // vanish under a stored view, so then whole checked rows are computed once into a temporary
  // table and the outputs stored as tables.
  const staged = input.temporary
  const temporary = quoteIdent(input.temporaryName)
  const checkedSql = `SELECT *${flags} FROM (${base})`
  const checked = staged ? temporary : `(${checkedSql})`
  const stage = staged ? { table: temporary, sql: checkedSql } : undefined
  // Joins do not keep the input's order, nor may a numbered view; sorting by row key gives it back.
  const sorted = staged || joins.length > 0 || !input.hasRowIds

  const anyFailed =
    rules.length > 0 ? `(${rules.map((_, k) => flagColumn(k)).join(' OR ')})` : 'FALSE'
  const outputColumns = columns.filter((column) => !['_check', '_reason'].includes(column.name))
  const order = sorted ? ` ORDER BY ${rowKey}` : ''
  const failedNames = rules.map(
    (compiled, k) => `CASE WHEN ${flagColumn(k)} THEN ${text(compiled.rule.name)} END`,
  )
  const reasons = rules.map(
    (compiled, k) => `CASE WHEN ${flagColumn(k)} THEN ${compiled.reason} END`,
  )
  const checkColumns =
    rules.length > 0
      ? `concat_ws(', ', ${failedNames.join(', ')}) AS _check, concat_ws('; ', ${reasons.join(', ')}) AS _reason`
      : `CAST(NULL AS VARCHAR) AS _check, CAST(NULL AS VARCHAR) AS _reason`
  const failColumns = outputColumns.length > 0 ? `${list(outputColumns)}, ` : ''

  // Rows numbered by a window over a view are sampled in the counting pass itself (see `samples`).
  const inPass = !staged && !input.hasRowIds
  const fields = columns.map((column) => `${quoteIdent(column.name)} := ${quoteIdent(column.name)}`)
  const sampled = (k: number): string[] => {
    const filter = `FILTER (WHERE ${flagColumn(k)}) AS ${countColumns.samples(k)}`
    if (!inPass) {
      return [`min(${rowKey}, 5) ${filter}`]
    }
    return fields.length > 0
      ? [`min_by(struct_pack(${fields.join(', ')}), ${rowKey}, 5) ${filter}`]
      : []
  }
  const counts = [
    'count(*) AS "rows"',
    `count_if(${anyFailed}) AS failing`,
    ...rules.flatMap((_, k) => [
      `count(${flagColumn(k)}) AS ${countColumns.tested(k)}`,
      `count_if(${flagColumn(k)}) AS ${countColumns.failed(k)}`,
      ...sampled(k),
    ]),
    ...columns.map((column, c) => `count(${quoteIdent(column.name)}) AS ${countColumns.filled(c)}`),
  ]
  return {
    ...(stage ? { stage } : {}),
    counts: `SELECT ${counts.join(', ')} FROM ${checked}`,
    pass: `SELECT ${list(columns)} FROM ${checked} WHERE ${anyFailed} IS NOT TRUE${order}`,
    fail: `SELECT ${failColumns}${checkColumns} FROM ${checked} WHERE ${anyFailed}${order}`,
    samples: inPass
      ? {
          inPass,
          rows: (table, k) =>
            `SELECT unnest(sample) FROM (SELECT unnest(${countColumns.samples(k)}) AS sample FROM ${table})`,
        }
      : {
          inPass,
          lookup: (keys) =>
            `SELECT ${list(columns)}, ${rowKey} FROM ${staged ? temporary : rowSource} WHERE ${rowKey} IN ${keys}`,
        },
    materialise: staged,
  }
}
