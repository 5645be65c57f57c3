import { quoteIdentifier } from '../database/identifiers'
import type { WriteColumn } from './write-columns'

/** The tables and columns a merge statement names; `target` and `staging` are quoted already. */
export interface MergeNames {
  target: string
  staging: string
  columns: readonly WriteColumn[]
  keys: readonly string[]
}

const quote = (name: string): string => quoteIdentifier('postgres', name)

/** The quoted column list, in input order. */
export function columnList(columns: readonly WriteColumn[]): string {
  return columns.map((column) => quote(column.name)).join(', ')
}

/** `CREATE TABLE` for a new target, with a primary key on `keys` when there are any. */
export function createTableSql(
  target: string,
  columns: readonly WriteColumn[],
  keys: readonly string[],
): string {
  const definitions = columns.map(
    (column) =>
      `${quote(column.name)} ${column.serverType}${keys.includes(column.name) ? ' NOT NULL' : ''}`,
  )
  if (keys.length > 0) {
    definitions.push(`PRIMARY KEY (${keys.map(quote).join(', ')})`)
  }
  return `CREATE TABLE ${target} (${definitions.join(', ')})`
}

/** `COPY` of the pushed CSV straight into `table`'s columns. */
export function copyInSql(table: string, columns: readonly WriteColumn[]): string {
  return `COPY ${table} (${columnList(columns)}) FROM STDIN WITH (FORMAT csv)`
}

/** Every staged row into the target. */
export function insertAllSql(names: MergeNames): string {
  const list = columnList(names.columns)
  return `INSERT INTO ${names.target} (${list}) SELECT ${list} FROM ${names.staging}`
}

function nonKeys(names: MergeNames): WriteColumn[] {
  return names.columns.filter((column) => !names.keys.includes(column.name))
}

/** `left.k = right.k AND ...` over the keys. */
function keysMatch(names: MergeNames, left: string, right: string): string {
  return names.keys.map((key) => `${left}.${quote(key)} = ${right}.${quote(key)}`).join(' AND ')
}

/** True when any non-key value differs, NULLs compared as values. */
function valuesDiffer(columns: readonly WriteColumn[], left: string, right: string): string {
  return columns
    .map((column) => {
      const name = quote(column.name)
      const cast = column.compareAsText ? '::text' : ''
      return `${left}.${name}${cast} IS DISTINCT FROM ${right}.${name}${cast}`
    })
    .join(' OR ')
}

/**
 * Upsert through the unique index on the keys. Only rows whose values change are updated, so a
 * second identical run reports 0; `xmax = 0` tells a fresh insert from an update.
 */
export function upsertOnConflictSql(names: MergeNames): string {
  const list = columnList(names.columns)
  const others = nonKeys(names)
  const conflict = `ON CONFLICT (${names.keys.map(quote).join(', ')})`
  const action =
    others.length === 0
      ? 'DO NOTHING'
      : `DO UPDATE SET ${others.map((column) => `${quote(column.name)} = EXCLUDED.${quote(column.name)}`).join(', ')} WHERE ${valuesDiffer(others, 'sluice_target', 'EXCLUDED')}`
  return (
    `WITH changed AS (INSERT INTO ${names.target} AS sluice_target (${list}) ` +
    `SELECT ${list} FROM ${names.staging} ${conflict} ${action} RETURNING (xmax = 0) AS inserted) ` +
    `SELECT count(*) FILTER (WHERE inserted)::int8 AS inserted, ` +
    `count(*) FILTER (WHERE NOT inserted)::int8 AS updated FROM changed`
  )
}

/**
 * Upsert in one pass with MERGE (PostgreSQL 15+): one hash join of staging and target instead of
 * an index probe per row, about a third faster than ON CONFLICT for a half-new million rows.
 * Only rows whose values change are updated. PostgreSQL 15 has no RETURNING for MERGE, so the
 * caller counts inserts by the table's growth.
 */
export function mergeSql(names: MergeNames): string {
  const others = nonKeys(names)
  const matched =
    others.length === 0
      ? ''
      : ` WHEN MATCHED AND (${valuesDiffer(others, 't', 's')}) THEN UPDATE SET ${others.map((column) => `${quote(column.name)} = s.${quote(column.name)}`).join(', ')}`
  const values = names.columns.map((column) => `s.${quote(column.name)}`).join(', ')
  return (
    `MERGE INTO ${names.target} AS t USING ${names.staging} AS s ON ${keysMatch(names, 't', 's')}` +
    `${matched} WHEN NOT MATCHED THEN INSERT (${columnList(names.columns)}) VALUES (${values})`
  )
}

/** Upsert without a unique index, step one: update target rows whose values differ. */
export function updateChangedSql(names: MergeNames): string | null {
  const others = nonKeys(names)
  if (others.length === 0) {
    return null
  }
  const set = others.map((column) => `${quote(column.name)} = s.${quote(column.name)}`).join(', ')
  return (
    `UPDATE ${names.target} AS t SET ${set} FROM ${names.staging} AS s ` +
    `WHERE ${keysMatch(names, 't', 's')} AND (${valuesDiffer(others, 't', 's')})`
  )
}

/** Upsert without a unique index, step two: insert staged rows whose keys are new. */
export function insertNewSql(names: MergeNames): string {
  const list = columnList(names.columns)
  return (
    `INSERT INTO ${names.target} (${list}) SELECT ${list} FROM ${names.staging} AS s ` +
    `WHERE NOT EXISTS (SELECT 1 FROM ${names.target} AS t WHERE ${keysMatch(names, 't', 's')})`
  )
}

/** Mirror: delete target rows whose keys the input no longer has. */
export function deleteMissingSql(names: MergeNames): string {
  return (
    `DELETE FROM ${names.target} AS t ` +
    `WHERE NOT EXISTS (SELECT 1 FROM ${names.staging} AS s WHERE ${keysMatch(names, 't', 's')})`
  )
}

/** Dry-run samples: up to `limit` rows as JSON, so any type crosses to the UI as plain values. */
export function sampleSql(
  kind: 'staged' | 'new' | 'changed' | 'target' | 'missing',
  names: MergeNames,
  limit: number,
): string {
  const json = (alias: string): string => `SELECT row_to_json(${alias}) AS row FROM`
  const keyed = keysMatch(names, 't', 's')
  switch (kind) {
    case 'staged':
      return `${json('s')} ${names.staging} AS s LIMIT ${limit}`
    case 'target':
      return `${json('t')} ${names.target} AS t LIMIT ${limit}`
    case 'new':
      return `${json('s')} ${names.staging} AS s WHERE NOT EXISTS (SELECT 1 FROM ${names.target} AS t WHERE ${keyed}) LIMIT ${limit}`
    case 'changed': {
      const others = nonKeys(names)
      const differ = others.length === 0 ? 'false' : valuesDiffer(others, 't', 's')
      return `${json('s')} ${names.staging} AS s JOIN ${names.target} AS t ON ${keyed} WHERE ${differ} LIMIT ${limit}`
    }
    case 'missing':
      return `${json('t')} ${names.target} AS t WHERE NOT EXISTS (SELECT 1 FROM ${names.staging} AS s WHERE ${keyed}) LIMIT ${limit}`
  }
}
