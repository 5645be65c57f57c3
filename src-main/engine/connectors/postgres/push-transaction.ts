import { randomUUID } from 'node:crypto'
import type pg from 'pg'
import { sluiceError, SluiceFailure } from '../../../../src-shared/errors'
import type { ChangeSamples, WriteRequest } from '../database/contract'
import { quoteIdentifier, quoteQualified } from '../database/identifiers'
import {
  createTableSql,
  deleteMissingSql,
  insertAllSql,
  insertNewSql,
  mergeSql,
  sampleSql,
  updateChangedSql,
  upsertOnConflictSql,
  type MergeNames,
} from './merge-sql'
import { replaceBlockers } from './replace-blockers'
import { createReplacementSql, swapInReplacement } from './swap-table'
import { describeTableColumns, findTable, hasUniqueIndexOn } from './table-columns'
import { matchColumns, newTableColumns, type WriteColumn } from './write-columns'

/** Rows of each kind a dry run shows. */
const sampleRows = 5

/** What the transaction did (or, in a dry run, would do). */
export interface PushCounts {
  inserted: number
  updated: number
  deleted: number
  ddl: string[]
  samples?: ChangeSamples
  /** The schema the target is in, the connection's current one when none was named. */
  schema: string
}

/** The steps a push takes inside its transaction, given a way to COPY the CSV into a table. */
export interface PushSteps {
  client: pg.Client
  request: WriteRequest
  /** Normalised key columns. */
  keys: string[]
  /** Upsert with MERGE when the server has it; false upserts as before PostgreSQL 15. */
  merge: boolean
  /** Streams the pushed CSV into a table with `COPY ... FROM STDIN`; resolves to rows loaded. */
  copyInto(table: string, columns: readonly WriteColumn[]): Promise<number>
}

/**
 * Everything a push does between BEGIN and COMMIT: checks or creates the target, loads the rows
 * and merges them by mode. Runs inside the caller's transaction, which commits or rolls back.
 */
export async function pushInTransaction(steps: PushSteps): Promise<PushCounts> {
  const { client, request, keys } = steps
  const keyed = request.mode === 'upsert' || request.mode === 'mirror'
  const found = await findTable(client, request.schema, request.table)
  const schema = found?.schema ?? (await currentSchema(client, request.schema))
  const target = quoteQualified('postgres', schema, request.table)
  if (!found) {
    if (request.mode !== 'create' && !request.createMissing) {
      throw failure(request, `it does not exist; turn on "create missing table" or create it first`)
    }
    const columns = newTableColumns(request.input.columns)
    const ddl = [createTableSql(target, columns, keyed ? keys : [])]
    await client.query(ddl[0] ?? '')
    const inserted = await steps.copyInto(target, columns)
    const samples = request.dryRun
      ? {
          insert: await sample(
            client,
            sampleSql('target', names(target, target, columns, keys), sampleRows),
          ),
          update: [],
          delete: [],
        }
      : undefined
    return { inserted, updated: 0, deleted: 0, ddl, schema, ...(samples ? { samples } : {}) }
  }
  if (found.kind !== 'r' && found.kind !== 'p') {
    throw failure(request, 'it is a view or a foreign table, not a table')
  }
  if (request.mode === 'create') {
    throw failure(request, 'it already exists and the mode is "create"')
  }
  const existing = await describeTableColumns(client, schema, request.table)
  const { columns, problems } = matchColumns(request.input.columns, existing, keyed ? keys : [])
  if (problems.length > 0) {
    throw new SluiceFailure(
      sluiceError(
        'PUSH_SCHEMA_MISMATCH',
        {
          node: request.nodeId,
          table: tableLabel(request),
          differences: capitalise(problems.join('; ')),
        },
        { nodeId: request.nodeId },
      ),
    )
  }
  const counts = await mergeByMode(steps, { schema, target, columns })
  return { ...counts, schema }
}

interface Target {
  schema: string
  /** Quoted `schema.table`. */
  target: string
  columns: WriteColumn[]
}

async function mergeByMode(steps: PushSteps, where: Target): Promise<Omit<PushCounts, 'schema'>> {
  const { client, request } = steps
  const { target, columns } = where
  const dry = request.dryRun
  const none: ChangeSamples = { insert: [], update: [], delete: [] }
  switch (request.mode) {
    case 'create':
    case 'append': {
      if (!dry) {
        return { inserted: await steps.copyInto(target, columns), updated: 0, deleted: 0, ddl: [] }
      }
      const merge = await stage(steps, where)
      const insert = await sample(client, sampleSql('staged', merge, sampleRows))
      const inserted = (await client.query(insertAllSql(merge))).rowCount ?? 0
      return { inserted, updated: 0, deleted: 0, ddl: [], samples: { ...none, insert } }
    }
    case 'truncate': {
      await client.query(`LOCK TABLE ${target} IN ACCESS EXCLUSIVE MODE`)
      const deleted = await countRows(client, target)
      const ddl = [`TRUNCATE ${target}`]
      if (!dry) {
        await client.query(ddl[0] ?? '')
        return { inserted: await steps.copyInto(target, columns), updated: 0, deleted, ddl }
      }
      const merge = await stage(steps, where)
      const samples = {
        insert: await sample(client, sampleSql('staged', merge, sampleRows)),
        update: [],
        delete: await sample(client, sampleSql('target', merge, sampleRows)),
      }
      await client.query(ddl[0] ?? '')
      const inserted = (await client.query(insertAllSql(merge))).rowCount ?? 0
      return { inserted, updated: 0, deleted, ddl, samples }
    }
    case 'replace':
      return replaceTable(steps, where)
    case 'upsert':
    case 'mirror': {
      const merge = await stage(steps, where)
      const samples = dry
        ? {
            insert: await sample(client, sampleSql('new', merge, sampleRows)),
            update: await sample(client, sampleSql('changed', merge, sampleRows)),
            delete:
              request.mode === 'mirror'
                ? await sample(client, sampleSql('missing', merge, sampleRows))
                : [],
          }
        : undefined
      const { inserted, updated } = await upsert(steps, merge, where.schema)
      const deleted =
        request.mode === 'mirror'
          ? ((await client.query(deleteMissingSql(merge))).rowCount ?? 0)
          : 0
      return { inserted, updated, deleted, ddl: [], ...(samples ? { samples } : {}) }
    }
  }
}

/** Builds a twin of the target, fills it, and swaps it in; readers keep the old one meanwhile. */
async function replaceTable(steps: PushSteps, where: Target): Promise<Omit<PushCounts, 'schema'>> {
  const { client, request } = steps
  const blockers = await replaceBlockers(client, where.target)
  if (blockers.length > 0) {
    throw failure(
      request,
      `mode "replace" builds a new table and drops the old one, which would lose or break its ` +
        `${blockers.join('; ')}. Use mode "truncate", which empties and refills the table in ` +
        `place and keeps all of them. Nothing was changed`,
    )
  }
  const swap = {
    schema: where.schema,
    table: request.table,
    replacement: `sluice_replace_${randomUUID().replaceAll('-', '').slice(0, 16)}`,
  }
  const create = createReplacementSql(swap)
  await client.query(create)
  const replacement = quoteQualified('postgres', swap.schema, swap.replacement)
  const inserted = await steps.copyInto(replacement, where.columns)
  const view = names(where.target, replacement, where.columns, [])
  const samples = request.dryRun
    ? {
        insert: await sample(client, sampleSql('staged', view, sampleRows)),
        update: [],
        delete: await sample(client, sampleSql('target', view, sampleRows)),
      }
    : undefined
  await client.query(`LOCK TABLE ${where.target} IN ACCESS EXCLUSIVE MODE`)
  const deleted = await countRows(client, where.target)
  const ddl = [create, ...(await swapInReplacement(client, swap))]
  return { inserted, updated: 0, deleted, ddl, ...(samples ? { samples } : {}) }
}

/** Loads the CSV into a temporary table with the target's column types, dropped at commit. */
async function stage(steps: PushSteps, where: Target): Promise<MergeNames> {
  const staging = quoteIdentifier(
    'postgres',
    `sluice_staging_${randomUUID().replaceAll('-', '')}`.slice(0, 40),
  )
  const merge = names(where.target, staging, where.columns, steps.keys)
  const list = where.columns.map((column) => quoteIdentifier('postgres', column.name)).join(', ')
  await steps.client.query(
    `CREATE TEMP TABLE ${staging} ON COMMIT DROP AS SELECT ${list} FROM ${where.target} WITH NO DATA`,
  )
  await steps.copyInto(staging, where.columns)
  // Temporary tables are never auto-analysed; without statistics the merge's join plan is blind.
  await steps.client.query(`ANALYZE ${staging}`)
  return merge
}

/** The best upsert the server offers: MERGE, else ON CONFLICT on a unique index, else two steps. */
async function upsert(
  steps: PushSteps,
  merge: MergeNames,
  schema: string,
): Promise<{ inserted: number; updated: number }> {
  const { client, keys } = steps
  const table = steps.request.table
  const version = await client.query<{ version: number }>(
    `SELECT current_setting('server_version_num')::int AS version`,
  )
  if (steps.merge && Number(version.rows[0]?.version ?? 0) >= 150000) {
    // Writers wait until the push commits (readers do not), so the growth of the table is
    // exactly the rows MERGE inserted.
    await client.query(`LOCK TABLE ${merge.target} IN SHARE ROW EXCLUSIVE MODE`)
    const before = await countRows(client, merge.target)
    const changed = (await client.query(mergeSql(merge))).rowCount ?? 0
    const inserted = (await countRows(client, merge.target)) - before
    return { inserted, updated: changed - inserted }
  }
  return (await hasUniqueIndexOn(client, schema, table, keys))
    ? upsertOnConflict(client, merge)
    : updateThenInsert(client, merge)
}

async function upsertOnConflict(
  client: pg.Client,
  merge: MergeNames,
): Promise<{ inserted: number; updated: number }> {
  const result = await client.query<{ inserted: string; updated: string }>(
    upsertOnConflictSql(merge),
  )
  const row = result.rows[0]
  return { inserted: Number(row?.inserted ?? 0), updated: Number(row?.updated ?? 0) }
}

/** Without a unique index on the keys, ON CONFLICT cannot work: update, then insert the rest. */
async function updateThenInsert(
  client: pg.Client,
  merge: MergeNames,
): Promise<{ inserted: number; updated: number }> {
  const update = updateChangedSql(merge)
  const updated = update ? ((await client.query(update)).rowCount ?? 0) : 0
  const inserted = (await client.query(insertNewSql(merge))).rowCount ?? 0
  return { inserted, updated }
}

function names(
  target: string,
  staging: string,
  columns: readonly WriteColumn[],
  keys: readonly string[],
): MergeNames {
  return { target, staging, columns, keys }
}

async function countRows(client: pg.Client, table: string): Promise<number> {
  const result = await client.query<{ count: string }>(`SELECT count(*) AS count FROM ${table}`)
  return Number(result.rows[0]?.count ?? 0)
}

async function sample(client: pg.Client, sql: string): Promise<Array<Record<string, unknown>>> {
  const result = await client.query<{ row: Record<string, unknown> }>(sql)
  return result.rows.map((row) => row.row)
}

async function currentSchema(client: pg.Client, schema: string): Promise<string> {
  if (schema !== '') {
    return schema
  }
  const result = await client.query<{ schema: string }>('SELECT current_schema() AS schema')
  return result.rows[0]?.schema ?? 'public'
}

/** How the table is named in messages: as the user wrote it. */
export function tableLabel(request: WriteRequest): string {
  return request.schema === '' ? request.table : `${request.schema}.${request.table}`
}

function failure(request: WriteRequest, reason: string): SluiceFailure {
  return new SluiceFailure(
    sluiceError(
      'PUSH_FAILED',
      { node: request.nodeId, table: tableLabel(request), reason },
      { nodeId: request.nodeId },
    ),
  )
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
