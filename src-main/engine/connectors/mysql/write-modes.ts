import type { ResultSetHeader } from 'mysql2/promise'
import type { WriteRequest } from '../database/contract'
import { quoteIdent } from '../../duckdb/quote'
import { queryNumber } from '../../duckdb/query'
import { pushRefused } from './failures'
import {
  countChanges,
  deleteMissing,
  sampleChanges,
  upsertFromStage,
  type MergePlan,
} from './write-merge'
import {
  countTarget,
  helperTable,
  inputSample,
  inTransaction,
  loadColumns,
  loadInto,
  sampleRows,
  targetSample,
  throwIfCancelled,
  type Counts,
  type Push,
} from './write-push'
import { planStaging, stagingTableDdl } from './write-staging'
import { createTableDdl, foldName, type KeyWidths } from './write-target'

// How each mode puts the rows in, atomically; `write.ts` picks one.

/** append and truncate: straight into the target, inside the transaction. */
export async function pushDirect(push: Push): Promise<Counts> {
  const { request, session, qualified } = push
  const truncate = request.mode === 'truncate'
  if (request.dryRun) {
    return {
      inserted: push.rows,
      updated: 0,
      deleted: truncate ? await countTarget(push) : 0,
      ddl: [],
      samples: {
        insert: await inputSample(push),
        update: [],
        delete: truncate ? await targetSample(push) : [],
      },
      warnings: [],
    }
  }
  return inTransaction(push, async () => {
    let deleted = 0
    if (truncate) {
      // DELETE, not TRUNCATE: TRUNCATE is DDL and would commit on its own.
      const [header] = await session.query<ResultSetHeader>(`DELETE FROM ${qualified}`)
      deleted = header.affectedRows
    }
    const inserted = await loadInto(push, qualified, loadColumns(push, false))
    return { inserted, updated: 0, deleted, ddl: [], warnings: push.warnings }
  })
}

/**
 * create, replace, and any mode on a missing table: build the whole new table under a private
 * name, then swap it in with one atomic `RENAME TABLE`. The hooks run in the load's transaction,
 * before the swap, since MySQL commits around any DDL.
 */
export async function pushIntoNewTable(
  push: Push,
  helpers: string[],
  replace: boolean,
): Promise<Counts> {
  const { request, session, qualified } = push
  const building = helperTable(push, 'new')
  const old = helperTable(push, 'old')
  const create = replace
    ? `CREATE TABLE ${building} LIKE ${qualified}`
    : createTableDdl(building, request, await keyWidths(request))
  const swap = replace
    ? `RENAME TABLE ${qualified} TO ${old}, ${building} TO ${qualified}`
    : `RENAME TABLE ${building} TO ${qualified}`
  const ddl = replace ? [create, swap, `DROP TABLE ${old}`] : [create.replace(building, qualified)]
  const deletedBefore = replace ? await countTarget(push) : 0
  if (request.dryRun) {
    return {
      inserted: push.rows,
      updated: 0,
      deleted: deletedBefore,
      ddl,
      samples: {
        insert: await inputSample(push),
        update: [],
        delete: replace ? await targetSample(push) : [],
      },
      warnings: [],
    }
  }
  helpers.push(building)
  await session.query(create)
  const inserted = await inTransaction(push, () =>
    loadInto(push, building, loadColumns(push, !replace)),
  )
  // MySQL cannot rename inside a transaction: the load (and its hooks) committed above, so from
  // here the swap goes ahead; a cancel now would leave the hooks' work without the new table.
  try {
    await session.query(swap)
  } catch (thrown) {
    if (!replace) {
      throw pushRefused(
        push.place,
        `the table could not be created: ${String((thrown as Error).message)}`,
      )
    }
    throw thrown
  }
  helpers.splice(helpers.indexOf(building), 1)
  if (replace) {
    helpers.push(old)
  }
  return { inserted, updated: 0, deleted: deletedBefore, ddl, warnings: push.warnings }
}

/**
 * upsert and mirror: load a temporary staging table, count the changes exactly, then merge in one
 * transaction.
 */
export async function pushByMerge(push: Push, keys: string[], helpers: string[]): Promise<Counts> {
  const { request, session } = push
  const mirror = request.mode === 'mirror'
  const stage = helperTable(push, 'stage')
  const plan: MergePlan = { target: push.qualified, stage, mappings: push.mappings, keys }
  helpers.push(stage)
  // Only a mirror looks rows up in the staging table by key; an index would slow other loads.
  await session.query(stagingTableDdl(stage, planStaging(push.mappings, keys), mirror))
  const staged = await loadInto(push, stage, loadColumns(push, false))
  throwIfCancelled(push)
  if (request.dryRun) {
    const counts = await countChanges(session, plan, mirror)
    return {
      ...counts,
      ddl: [],
      samples: await sampleChanges(session, plan, mirror, sampleRows),
      warnings: push.warnings,
    }
  }
  // Counting with joins before merging costs more than the merge, so a real run derives exact
  // counts instead: the row count grows by the inserts, and with CLIENT_FOUND_ROWS (mysql2's
  // default) ON DUPLICATE KEY reports 1 per insert, 2 per changed row and 1 per unchanged one,
  // that is the staged rows plus the updates.
  return inTransaction(push, async () => {
    const before = await countTarget(push)
    const affected = await upsertFromStage(session, plan)
    const after = await countTarget(push)
    const deleted = mirror ? await deleteMissing(session, plan) : 0
    return {
      inserted: after - before,
      updated: affected - staged,
      deleted,
      ddl: [],
      warnings: push.warnings,
    }
  })
}

/** The longest text in each key column, to size VARCHAR keys of a new table. */
async function keyWidths(request: WriteRequest): Promise<KeyWidths> {
  const widths: KeyWidths = new Map()
  const textKeys = request.keys.filter((key) => {
    const column = request.input.columns.find((input) => foldName(input.name) === foldName(key))
    return column && !/INT|DECIMAL|DOUBLE|FLOAT|DATE|TIME|BOOLEAN/i.test(column.type)
  })
  for (const key of textKeys) {
    const width = await queryNumber(
      request.duckdb,
      `SELECT coalesce(max(length(CAST(${quoteIdent(key)} AS VARCHAR))), 1) FROM ${request.input.ref}`,
      request.signal,
    )
    widths.set(foldName(key), width)
  }
  return widths
}
