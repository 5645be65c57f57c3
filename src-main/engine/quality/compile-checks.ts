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
  /**
   * A temporary table to build first, when some rule needs other rows (a join) or the input has
   * no row ids (a view): then the flags are computed once and the outputs read the table.
   */
  stage?: { table: string; sql: string }
  /**
   * One aggregate over the checked relation: rows, failing rows, per rule tested/failed/sample
   * keys, per input column its non-NULL count.
   */
  counts: string
  /** The rows failing no rule, input columns only. */
  pass: string
  /** The rows failing some rule, once each, with `_check` and `_reason`. */
  fail: string
  /** The checked relation's row-key lookup for sample rows: `keys` is a SQL list of keys. */
  samples(keys: string): string
  /** Whether `pass` and `fail` should be stored as tables (they read a temporary table). */
  materialise: boolean
}

/** What the compiler needs to know about the input besides its relation. */
export interface CheckInput {
  relation: InputRelation
  /** The input is a base table, so DuckDB's `rowid` numbers its rows for free. */
  hasRowIds: boolean
  /** A name for the temporary table, unique on the connection (the node's id goes in it). */
  stageName: string
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
  const flags = rules.map((compiled, k) => `${compiled.flag} AS ${flagColumn(k)}`)
  const joins = rules.flatMap((compiled) => compiled.context?.joins ?? [])
  const helpers = rules.flatMap((compiled) => compiled.context?.columns ?? [])
  const staged = joins.length > 0 || !input.hasRowIds
  const rowSource = input.hasRowIds
    ? `(SELECT *, rowid AS ${rowKey} FROM ${input.relation.ref})`
    : `(SELECT *, row_number() OVER () AS ${rowKey} FROM ${input.relation.ref})`
  const base = `SELECT i.*${helpers.map((helper) => `, ${helper}`).join('')} FROM ${rowSource} i ${joins.join(' ')}`
  const checkedSql = `SELECT *${flags.map((flag) => `, ${flag}`).join('')} FROM (${base})`
  const stageTable = quoteIdent(input.stageName)
  const checked = staged ? stageTable : `(${checkedSql})`

  const anyFailed =
    rules.length > 0 ? `(${rules.map((_, k) => flagColumn(k)).join(' OR ')})` : 'FALSE'
  const outputColumns = columns.filter((column) => !['_check', '_reason'].includes(column.name))
  const list = (of: ColumnInfo[]): string =>
    of.length > 0 ? of.map((column) => quoteIdent(column.name)).join(', ') : '*'
  const order = staged ? ` ORDER BY ${rowKey}` : ''
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

  const counts = [
    'count(*) AS "rows"',
    `count_if(${anyFailed}) AS failing`,
    ...rules.flatMap((_, k) => [
      `count(${flagColumn(k)}) AS ${countColumns.tested(k)}`,
      `count_if(${flagColumn(k)}) AS ${countColumns.failed(k)}`,
      `min(${rowKey}, 5) FILTER (WHERE ${flagColumn(k)}) AS ${countColumns.samples(k)}`,
    ]),
    ...columns.map((column, c) => `count(${quoteIdent(column.name)}) AS ${countColumns.filled(c)}`),
  ]
  return {
    ...(staged ? { stage: { table: stageTable, sql: checkedSql } } : {}),
    counts: `SELECT ${counts.join(', ')} FROM ${checked}`,
    pass: `SELECT ${list(columns)} FROM ${checked} WHERE ${anyFailed} IS NOT TRUE${order}`,
    fail: `SELECT ${failColumns}${checkColumns} FROM ${checked} WHERE ${anyFailed}${order}`,
    samples: (keys) =>
      staged
        ? `SELECT ${list(columns)}, ${rowKey} FROM ${stageTable} WHERE ${rowKey} IN ${keys}`
        : `SELECT ${list(columns)}, rowid AS ${rowKey} FROM ${input.relation.ref} WHERE rowid IN ${keys}`,
    materialise: staged,
  }
}
