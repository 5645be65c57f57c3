import type { Connection, RowDataPacket } from 'mysql2/promise'
import { sluiceError, SluiceFailure } from '../../../../src-shared/errors'
import type { WriteRequest } from '../database/contract'
import {
  columnNameProblems,
  identifierProblem,
  normalizeIdentifier,
  quoteIdentifier,
} from '../database/identifiers'
import { isWritable, mysqlTypeFor, parseColumnType, type MysqlType } from './types'

/** A column of an existing target table, from information_schema. */
export interface TargetColumn {
  name: string
  /** The server's type, e.g. `varchar(40)`; used verbatim to build a staging table. */
  columnType: string
  type: MysqlType
  nullable: boolean
  hasDefault: boolean
  /** auto_increment or generated: the server fills it. */
  serverFilled: boolean
  generated: boolean
  /** CHARACTER SET ... COLLATE ... for text columns, so staged text compares like the target's. */
  charset: string
}

/** The target table as it is now; `columns` is empty when it does not exist. */
export interface TargetTable {
  schema: string
  table: string
  columns: TargetColumn[]
  /** Column sets of the primary key and unique indexes, folded to lower case. */
  uniqueKeys: string[][]
  engine: string | null
}

/** Folds a name as MySQL compares column names: case-insensitively, in NFC. */
export function foldName(name: string): string {
  return normalizeIdentifier(name).toLocaleLowerCase('en-US')
}

/**
 * Reads the target table's columns and unique keys. Names are bound server-side (execute): a
 * client-escaped quote would end the string on a server in NO_BACKSLASH_ESCAPES mode.
 */
export async function describeTarget(
  session: Connection,
  schema: string,
  table: string,
): Promise<TargetTable> {
  const [tables] = await session.execute<RowDataPacket[]>(
    `SELECT TABLE_NAME AS name, ENGINE AS engine FROM information_schema.TABLES
     WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?`,
    [schema, table],
  )
  const found = tables[0]
  if (!found) {
    return { schema, table, columns: [], uniqueKeys: [], engine: null }
  }
  const actualName = String(found.name)
  const [columns] = await session.execute<RowDataPacket[]>(
    `SELECT COLUMN_NAME AS name, COLUMN_TYPE AS columnType, IS_NULLABLE AS nullable,
            COLUMN_DEFAULT AS defaultValue, EXTRA AS extra,
            CHARACTER_SET_NAME AS charset, COLLATION_NAME AS collation
     FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?
     ORDER BY ORDINAL_POSITION`,
    [schema, actualName],
  )
  const [indexes] = await session.execute<RowDataPacket[]>(
    `SELECT INDEX_NAME AS indexName, COLUMN_NAME AS name FROM information_schema.STATISTICS
     WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND NON_UNIQUE = 0
     ORDER BY INDEX_NAME, SEQ_IN_INDEX`,
    [schema, actualName],
  )
  const keys = new Map<string, string[]>()
  for (const row of indexes) {
    const name = String(row.indexName)
    keys.set(name, [...(keys.get(name) ?? []), foldName(String(row.name))])
  }
  return {
    schema,
    table: actualName,
    engine: found.engine === null ? null : String(found.engine),
    uniqueKeys: [...keys.values()],
    columns: columns.map((row) => {
      const extra = String(row.extra ?? '').toLowerCase()
      const generated = extra.includes('generated') || extra.includes('virtual')
      const columnType = String(row.columnType)
      return {
        name: String(row.name),
        columnType,
        type: parseColumnType(columnType),
        nullable: String(row.nullable) === 'YES',
        // MariaDB reports "no default" as NULL and a NULL default as the text 'NULL'.
        hasDefault: row.defaultValue !== null,
        serverFilled: extra.includes('auto_increment') || generated,
        generated,
        charset: row.charset
          ? `CHARACTER SET ${String(row.charset)} COLLATE ${String(row.collation)}`
          : '',
      }
    }),
  }
}

/** Throws `BAD_IDENTIFIER` for a schema, table or column name MySQL cannot take. */
export function checkIdentifiers(request: WriteRequest): void {
  const refuse = (what: string, name: string, reason: string): never => {
    throw new SluiceFailure(
      sluiceError(
        'BAD_IDENTIFIER',
        { node: request.nodeId, what, name, reason },
        { nodeId: request.nodeId },
      ),
    )
  }
  for (const [what, name] of [
    ['schema', request.schema],
    ['table', request.table],
  ] as const) {
    const problem = name === '' && what === 'schema' ? null : identifierProblem('mysql', name)
    if (problem) {
      refuse(what, name, problem)
    }
  }
  const names = request.input.columns.map((column) => column.name)
  const problems = columnNameProblems('mysql', names)
  if (problems.length > 0) {
    const bad =
      names.find((name) => identifierProblem('mysql', name) !== null) ??
      names.find((name, index) =>
        names.some((other, at) => at !== index && foldName(other) === foldName(name)),
      ) ??
      ''
    refuse('column', bad, problems.join('; '))
  }
}

/** How each input column lands in the target: the target's own spelling of its name. */
export interface ColumnMapping {
  input: string
  inputType: string
  target: TargetColumn
}

/**
 * Maps input columns to the existing table's by name (case-insensitively, as MySQL does) and
 * throws one `PUSH_SCHEMA_MISMATCH` listing every extra, missing and incompatible column.
 */
export function mapColumns(request: WriteRequest, target: TargetTable): ColumnMapping[] {
  const byName = new Map(target.columns.map((column) => [foldName(column.name), column]))
  const inputNames = new Set(request.input.columns.map((column) => foldName(column.name)))
  const extra: string[] = []
  const incompatible: string[] = []
  const mappings: ColumnMapping[] = []
  for (const column of request.input.columns) {
    const found = byName.get(foldName(column.name))
    if (!found) {
      extra.push(column.name)
    } else if (found.generated) {
      incompatible.push(`${column.name} (a generated column cannot be written)`)
    } else if (!isWritable(column.type, found.type)) {
      incompatible.push(`${column.name} (${column.type} cannot go into ${found.columnType})`)
    } else {
      mappings.push({ input: column.name, inputType: column.type, target: found })
    }
  }
  const missing = target.columns
    .filter((column) => !inputNames.has(foldName(column.name)))
    .filter((column) => !column.nullable && !column.hasDefault && !column.serverFilled)
    .map((column) => column.name)
  const differences: string[] = []
  if (missing.length > 0) {
    differences.push(`Missing from the input (required by the table): ${missing.join(', ')}`)
  }
  if (extra.length > 0) {
    differences.push(`Not in the table: ${extra.join(', ')}`)
  }
  if (incompatible.length > 0) {
    differences.push(`Incompatible: ${incompatible.join(', ')}`)
  }
  if (differences.length > 0) {
    throw new SluiceFailure(
      sluiceError(
        'PUSH_SCHEMA_MISMATCH',
        {
          node: request.nodeId,
          table: `${target.schema}.${target.table}`,
          differences: differences.join('. '),
        },
        { nodeId: request.nodeId },
      ),
    )
  }
  return mappings
}

/** The longest text of each key column, so key columns can be VARCHAR of a fitting length. */
export type KeyWidths = Map<string, number>

/**
 * `CREATE TABLE` for a new table from the input's DuckDB types, with a primary key on the keys
 * when there are any (upsert and mirror need one to find existing rows).
 */
export function createTableDdl(
  qualified: string,
  request: WriteRequest,
  keyWidths: KeyWidths,
): string {
  const keys = new Set(request.keys.map(foldName))
  const definitions = request.input.columns.map((column) => {
    const key = keys.has(foldName(column.name))
    const width = keyWidths.get(foldName(column.name)) ?? 1
    // Rounded up so a later, slightly longer key still fits.
    const chars = Math.min(Math.max(255, Math.ceil(width / 64) * 64), 768)
    const type = mysqlTypeFor(column.type, key ? { chars } : null)
    return `${quoteIdentifier('mysql', column.name)} ${type}${key ? ' NOT NULL' : ' NULL'}`
  })
  if (request.keys.length > 0) {
    const keyList = request.keys.map((name) => quoteIdentifier('mysql', name)).join(', ')
    definitions.push(`PRIMARY KEY (${keyList})`)
  }
  return `CREATE TABLE ${qualified} (${definitions.join(', ')}) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`
}

/** Whether the table has a primary key or unique index on exactly `keys`. */
export function hasUniqueKeyOn(target: TargetTable, keys: readonly string[]): boolean {
  const wanted = [...keys.map(foldName)].sort().join('\u0000')
  return target.uniqueKeys.some((columns) => [...columns].sort().join('\u0000') === wanted)
}
