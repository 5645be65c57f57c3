import pg from 'pg'
import type { ReadRequest } from '../database/contract'
import { quoteIdentifier, quoteQualified } from '../database/identifiers'
import { duckdbTypeFor, exportExpression, type DuckdbMapping } from './types'

/** One column a read brings in: its name in DuckDB and how it travels. */
export interface ReadColumn {
  name: string
  /** Its name in the result as the server gave it (before any de-duplication). */
  serverName: string
  serverType: string
  mapping: DuckdbMapping
}

/** What a read sends to the server and how DuckDB parses what comes back. */
export interface ReadPlan {
  /** `COPY (SELECT ...) TO STDOUT` with every value in a form DuckDB parses. */
  copySql: string
  columns: ReadColumn[]
  warnings: string[]
}

/** A field of a result as `pg` describes it: the type's oid and modifier. */
interface FieldType {
  name: string
  dataTypeID: number
  dataTypeModifier: number
}

/**
 * Plans a read: the SELECT with the chosen columns, the WHERE condition and the incremental
 * bound, all run on the server; then the COPY around it. The result's columns are described by
 * running the SELECT with `LIMIT 0` first, so a query's columns are known before any row moves.
 */
export async function planRead(client: pg.Client, request: ReadRequest): Promise<ReadPlan> {
  const base = baseSelect(request)
  const described = await client.query(`SELECT * FROM (${base}) AS sluice_source LIMIT 0`)
  const types = await describeFieldTypes(client, described.fields)
  const warnings: string[] = []
  const names = uniqueNames(
    described.fields.map((field) => field.name),
    warnings,
  )
  const columns = described.fields.map((field, index): ReadColumn => {
    const type = types[index] ?? { serverType: 'text', category: 'S' }
    const mapping = duckdbTypeFor(type)
    if (mapping.warning) {
      warnings.push(`Column "${field.name}": ${mapping.warning}.`)
    }
    return {
      name: names[index] ?? field.name,
      serverName: field.name,
      serverType: type.serverType,
      mapping,
    }
  })
  const condition = incrementalCondition(request, columns, types, warnings)
  const filtered = condition ? `SELECT * FROM (${base}) AS sluice_rows WHERE ${condition}` : base
  // Positional aliases name the columns for the outer SELECT, so duplicate or odd names in a
  // query's result need no quoting of their own there.
  const aliases = columns.map((_, index) => `c${index + 1}`)
  const exports = columns.map((column, index) =>
    exportExpression(`sluice_source.${aliases[index]}`, column.mapping.transfer),
  )
  const select =
    columns.length === 0
      ? filtered
      : `SELECT ${exports.join(', ')} FROM (${filtered}) AS sluice_source(${aliases.join(', ')})`
  return { copySql: `COPY (${select}) TO STDOUT WITH (FORMAT csv)`, columns, warnings }
}

/** The SELECT of the chosen columns from the table or query, with the WHERE condition. */
function baseSelect(request: ReadRequest): string {
  const list =
    request.columns.length === 0
      ? '*'
      : request.columns.map((name) => quoteIdentifier('postgres', name)).join(', ')
  const from =
    'query' in request.source
      ? `(${request.source.query.trim().replace(/;+\s*$/, '')}\n) AS sluice_query`
      : quoteQualified('postgres', request.source.schema, request.source.table)
  // The line breaks end a trailing `-- comment` before the closing parenthesis.
  const where = request.where.trim() === '' ? '' : ` WHERE (${request.where}\n)`
  return `SELECT ${list} FROM ${from}${where}`
}

/**
 * `column > after - lookback`, with the watermark as a literal of the column's own type (COPY
 * takes no bind parameters, so values are escaped by `pg.escapeLiteral`). Null on a first run.
 */
function incrementalCondition(
  request: ReadRequest,
  columns: ReadColumn[],
  types: ServerType[],
  warnings: string[],
): string | null {
  const incremental = request.incremental
  if (!incremental || incremental.after === null) {
    return null
  }
  const index = columns.findIndex((column) => column.serverName === incremental.column)
  const type = types[index]
  if (!type) {
    throw new Error(
      `the watermark column "${incremental.column}" is not among the columns read; add it to the columns`,
    )
  }
  const column = quoteIdentifier('postgres', incremental.column)
  const after = `${pg.escapeLiteral(incremental.after)}::${type.serverType}`
  const lookback = incremental.lookback.trim()
  if (lookback === '') {
    return `${column} > ${after}`
  }
  if (type.category === 'D' || type.category === 'T') {
    return `${column} > ${after} - ${pg.escapeLiteral(lookback)}::interval`
  }
  if (type.category === 'N') {
    return `${column} > ${after} - ${pg.escapeLiteral(lookback)}::numeric`
  }
  warnings.push(
    `The look-back "${lookback}" was ignored: it applies to timestamps, dates and numbers, and "${incremental.column}" is ${type.serverType}.`,
  )
  return `${column} > ${after}`
}

interface ServerType {
  serverType: string
  category: string
}

/** The type names and categories of a result's fields, domains resolved to their base types. */
async function describeFieldTypes(
  client: pg.Client,
  fields: readonly FieldType[],
): Promise<ServerType[]> {
  if (fields.length === 0) {
    return []
  }
  const result = await client.query<ServerType>(
    `SELECT CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod)
                 ELSE format_type(f.oid, f.typmod) END AS "serverType",
            COALESCE(base.typcategory, t.typcategory) AS category
     FROM unnest($1::oid[], $2::int4[]) WITH ORDINALITY AS f(oid, typmod, n)
     JOIN pg_type t ON t.oid = f.oid
     LEFT JOIN pg_type base ON t.typtype = 'd' AND base.oid = t.typbasetype
     ORDER BY f.n`,
    [fields.map((field) => field.dataTypeID), fields.map((field) => field.dataTypeModifier)],
  )
  return result.rows
}

/**
 * DuckDB column names are case-insensitive and unique; a query may return `id` twice or `ID`
 * and `id`. Later ones get `_2`, `_3`, … and a warning says so.
 */
function uniqueNames(names: readonly string[], warnings: string[]): string[] {
  const taken = new Set<string>()
  return names.map((name) => {
    let candidate = name
    for (let suffix = 2; taken.has(candidate.toLowerCase()); suffix += 1) {
      candidate = `${name}_${suffix}`
    }
    if (candidate !== name) {
      warnings.push(`Column "${name}" appears more than once; the copy is named "${candidate}".`)
    }
    taken.add(candidate.toLowerCase())
    return candidate
  })
}
