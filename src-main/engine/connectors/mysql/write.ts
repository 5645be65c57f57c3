import { randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdir, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { Connection, ResultSetHeader, RowDataPacket } from 'mysql2/promise'
import { sluiceError, SluiceFailure } from '../../../../src-shared/errors'
import type { WriteOutcome, WriteRequest } from '../database/contract'
import { quoteQualified } from '../database/identifiers'
import { quoteIdent } from '../../duckdb/quote'
import { queryNumber, queryRows } from '../../duckdb/query'
import { closeSession, killQuery, openSession } from './connect'
import { pushFailure, pushRefused, type PushPlace } from './failures'
import { exportCsv } from './write-export'
import { insertRows, isLocalInfileRefused, loadCsv, type LoadColumn } from './write-load'
import {
  countChanges,
  deleteMissing,
  jsonSafeRow,
  sampleChanges,
  upsertFromStage,
  type MergePlan,
} from './write-merge'
import {
  checkIdentifiers,
  createTableDdl,
  describeTarget,
  foldName,
  hasUniqueKeyOn,
  mapColumns,
  type ColumnMapping,
  type KeyWidths,
  type TargetTable,
} from './write-target'
import { planStaging, stagingTableDdl } from './write-staging'

/** Rows of each kind a dry run shows. */
const sampleRows = 5

/** Everything one push works with, gathered once. */
interface Push {
  request: WriteRequest
  place: PushPlace
  session: Connection
  target: TargetTable
  /** The target, quoted and qualified. */
  qualified: string
  mappings: ColumnMapping[]
  rows: number
  csvFile: string
  /** Set once the CSV is written (or once the fallback is chosen). */
  exported: boolean
  useInfile: boolean
  ddl: string[]
  warnings: string[]
}

/**
 * Pushes the input into a MySQL/MariaDB table, atomically in every mode: data goes in inside
 * one InnoDB transaction (or into a new table swapped in with one `RENAME TABLE`), so an error,
 * a lost connection or a cancel leaves the target exactly as it was.
 */
export async function writeMysql(request: WriteRequest): Promise<WriteOutcome> {
  checkIdentifiers(request)
  const place: PushPlace = {
    nodeId: request.nodeId,
    table: request.schema ? `${request.schema}.${request.table}` : request.table,
  }
  if ((request.mode === 'upsert' || request.mode === 'mirror') && request.keys.length === 0) {
    throw pushRefused(place, `mode "${request.mode}" needs key columns`)
  }
  const inputNames = new Set(request.input.columns.map((column) => foldName(column.name)))
  const unknownKey = request.keys.find((key) => !inputNames.has(foldName(key)))
  if (unknownKey !== undefined) {
    throw pushRefused(place, `the key column "${unknownKey}" is not in the input`)
  }
  await mkdir(request.workDir, { recursive: true })
  const csvFile = join(request.workDir, `sluice-push-${randomBytes(8).toString('hex')}.csv`)
  let bytesSent = 0
  let totalRows = 0
  const infileStream = (): ReturnType<typeof createReadStream> => {
    const stream = createReadStream(csvFile, { highWaterMark: 1 << 20 })
    void stat(csvFile).then((info) => {
      stream.on('data', (chunk) => {
        bytesSent += chunk.length
        const fraction = info.size > 0 ? bytesSent / info.size : 1
        request.progress({
          bytes: bytesSent,
          percent: Math.round(fraction * 1000) / 10,
          rows: Math.round(totalRows * fraction),
        })
      })
    })
    return stream
  }
  const session = await openSession(
    request.connection,
    { infileStream, multipleStatements: true },
    request.nodeId,
  )
  const helpers: string[] = []
  const cancel = (): void => void killQuery(request.connection, session.threadId)
  request.signal.addEventListener('abort', cancel, { once: true })
  try {
    const schema = request.schema || (await currentDatabase(session))
    if (!schema) {
      throw pushRefused(place, 'the connection names no database; choose a schema')
    }
    const target = await describeTarget(session, schema, request.table)
    const exists = target.columns.length > 0
    if (exists && request.mode === 'create') {
      throw pushRefused(place, `the table already exists and the mode is "create"`)
    }
    if (!exists && request.mode !== 'create' && !request.createMissing) {
      throw pushRefused(place, 'the table does not exist; turn on "create missing" to create it')
    }
    if (exists && target.engine && target.engine.toLowerCase() !== 'innodb') {
      throw pushRefused(
        place,
        `the table uses the ${target.engine} engine, which has no transactions, so a failed push could leave it half-written; convert it to InnoDB`,
      )
    }
    const mappings = exists ? mapColumns(request, target) : []
    const keys = request.keys.map((key) => targetName(mappings, key))
    if (exists && (request.mode === 'upsert' || request.mode === 'mirror')) {
      if (!hasUniqueKeyOn(target, keys)) {
        throw pushRefused(
          place,
          `mode "${request.mode}" needs a primary key or unique index on exactly (${keys.join(', ')}) to find existing rows; add one to the table`,
        )
      }
      await refuseDuplicateKeys(request, place)
    }
    totalRows =
      request.input.rows ??
      (await queryNumber(request.duckdb, `SELECT count(*) FROM ${request.input.ref}`))
    const push: Push = {
      request,
      place,
      session,
      target,
      qualified: quoteQualified('mysql', schema, target.table),
      mappings,
      rows: totalRows,
      csvFile,
      exported: false,
      useInfile: true,
      ddl: [],
      warnings: [],
    }
    const written = `mysql ${request.connection.name} ${schema}.${target.table}`
    if (!exists) {
      return { ...(await pushIntoNewTable(push, helpers, false)), written }
    }
    switch (request.mode) {
      case 'replace':
        return { ...(await pushIntoNewTable(push, helpers, true)), written }
      case 'append':
      case 'truncate':
        return { ...(await pushDirect(push)), written }
      default:
        return { ...(await pushByMerge(push, keys, helpers)), written }
    }
  } catch (thrown) {
    throw pushFailure(place, thrown, request.signal)
  } finally {
    request.signal.removeEventListener('abort', cancel)
    await dropHelpers(request, session, helpers)
    await closeSession(session)
    await rm(csvFile, { force: true })
  }
}

type Counts = Omit<WriteOutcome, 'written'>

async function currentDatabase(session: Connection): Promise<string> {
  const [rows] = await session.query<RowDataPacket[]>('SELECT DATABASE() AS name')
  return rows[0]?.name ? String(rows[0].name) : ''
}

/** The target's spelling of an input column's name (MySQL matches names case-insensitively). */
function targetName(mappings: ColumnMapping[], input: string): string {
  return (
    mappings.find((mapping) => foldName(mapping.input) === foldName(input))?.target.name ?? input
  )
}

function throwIfCancelled(push: Push): void {
  if (push.request.signal.aborted) {
    throw new SluiceFailure(sluiceError('CANCELLED', {}, { nodeId: push.request.nodeId }))
  }
}

/** Upsert and mirror need each key once: which input row would win is otherwise a guess. */
async function refuseDuplicateKeys(request: WriteRequest, place: PushPlace): Promise<void> {
  const keys = request.keys.map((key) => quoteIdent(key)).join(', ')
  const [duplicate] = await queryRows(
    request.duckdb,
    `SELECT ${keys}, count(*) AS sluice_rows FROM ${request.input.ref} GROUP BY ALL HAVING count(*) > 1 LIMIT 1`,
    request.signal,
  )
  if (duplicate) {
    const { sluice_rows: rows, ...key } = duplicate
    throw pushRefused(
      place,
      `the input has ${String(rows)} rows with the same key ${JSON.stringify(key)}; each key must appear once`,
    )
  }
}

/** The columns as loaded: into an existing table by its names, into a new one by the input's. */
function loadColumns(push: Push, fromInput: boolean): LoadColumn[] {
  if (fromInput) {
    return push.request.input.columns.map((column) => ({
      target: column.name,
      exported: { name: column.name, type: column.type, hex: column.type.toUpperCase() === 'BLOB' },
      bits: false,
    }))
  }
  return push.mappings.map((mapping) => ({
    target: mapping.target.name,
    exported: {
      name: mapping.input,
      type: mapping.inputType,
      hex: mapping.inputType.toUpperCase() === 'BLOB',
    },
    bits: mapping.target.type.base === 'bit',
  }))
}

/**
 * Loads the input into `table`: `LOAD DATA LOCAL INFILE` of DuckDB's CSV, or multi-row INSERTs
 * when the server forbids local files (said in the run log).
 */
async function loadInto(push: Push, table: string, columns: LoadColumn[]): Promise<number> {
  const { request } = push
  throwIfCancelled(push)
  if (push.useInfile) {
    if (!push.exported) {
      const [rows] = await push.session.query<RowDataPacket[]>('SELECT @@local_infile AS allowed')
      push.useInfile = Number(rows[0]?.allowed ?? 0) === 1
    }
    if (push.useInfile) {
      try {
        if (!push.exported) {
          await exportCsv(
            request.duckdb,
            request.input.ref,
            columns.map((column) => column.exported),
            push.csvFile,
            request.signal,
          )
          push.exported = true
        }
        return await loadCsv(push.session, table, columns)
      } catch (thrown) {
        if (!isLocalInfileRefused(thrown)) {
          throw thrown
        }
        push.useInfile = false
      }
    }
    const warning =
      'The server does not allow LOAD DATA LOCAL INFILE (local_infile is off), so rows are sent as multi-row INSERTs, which is slower; set local_infile=1 on the server for fast pushes'
    push.warnings.push(warning)
    request.log('warn', warning)
  }
  return insertRows(
    push.session,
    request.duckdb,
    request.input.ref,
    table,
    columns,
    request.signal,
    (rows) => request.progress({ rows }),
  )
}

/** Runs `work` between BEGIN and COMMIT with the hooks around it; any failure rolls back. */
async function inTransaction<T>(push: Push, work: () => Promise<T>): Promise<T> {
  const { session, request } = push
  await session.query('START TRANSACTION')
  try {
    if (request.preSql.trim() !== '') {
      await session.query(request.preSql)
    }
    const result = await work()
    if (request.postSql.trim() !== '') {
      await session.query(request.postSql)
    }
    throwIfCancelled(push)
    await session.query('COMMIT')
    return result
  } catch (thrown) {
    try {
      await session.query('ROLLBACK')
    } catch {
      // A killed or lost session: the server has already rolled the transaction back.
    }
    throw thrown
  }
}

/** A fresh helper table name in the target's schema: unique, so parallel pushes never meet. */
function helperTable(push: Push, kind: 'stage' | 'new' | 'old'): string {
  return quoteQualified(
    'mysql',
    push.target.schema,
    `sluice_${kind}_${randomBytes(8).toString('hex')}`,
  )
}

/** append and truncate: straight into the target, inside the transaction. */
async function pushDirect(push: Push): Promise<Counts> {
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
async function pushIntoNewTable(push: Push, helpers: string[], replace: boolean): Promise<Counts> {
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
  throwIfCancelled(push)
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
 * upsert and mirror: load a staging table (a real table, created before the transaction since
 * DDL commits), count the changes exactly, then merge in one transaction.
 */
async function pushByMerge(push: Push, keys: string[], helpers: string[]): Promise<Counts> {
  const { request, session } = push
  const mirror = request.mode === 'mirror'
  const stage = helperTable(push, 'stage')
  const plan: MergePlan = { target: push.qualified, stage, mappings: push.mappings, keys }
  helpers.push(stage)
  await session.query(stagingTableDdl(stage, planStaging(push.mappings, keys)))
  await loadInto(push, stage, loadColumns(push, false))
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
  return inTransaction(push, async () => {
    const counts = await countChanges(session, plan, mirror)
    await upsertFromStage(session, plan)
    if (mirror) {
      await deleteMissing(session, plan)
    }
    return { ...counts, ddl: [], warnings: push.warnings }
  })
}

async function countTarget(push: Push): Promise<number> {
  const [rows] = await push.session.query<RowDataPacket[]>(
    `SELECT count(*) AS n FROM ${push.qualified}`,
  )
  return Number(rows[0]?.n ?? 0)
}

async function targetSample(push: Push): Promise<Array<Record<string, unknown>>> {
  const [rows] = await push.session.query<RowDataPacket[]>(
    `SELECT * FROM ${push.qualified} LIMIT ${sampleRows}`,
  )
  return rows.map(jsonSafeRow)
}

async function inputSample(push: Push): Promise<Array<Record<string, unknown>>> {
  return queryRows(
    push.request.duckdb,
    `SELECT * FROM ${push.request.input.ref} LIMIT ${sampleRows}`,
    push.request.signal,
  )
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

/**
 * Drops the staging and half-built tables. A killed session cannot, so a fresh one does; the
 * drop is best effort and a leftover `sluice_*` table is named in the log.
 */
async function dropHelpers(
  request: WriteRequest,
  session: Connection,
  helpers: string[],
): Promise<void> {
  if (helpers.length === 0) {
    return
  }
  const statement = `DROP TABLE IF EXISTS ${helpers.join(', ')}`
  try {
    await session.query(statement)
    return
  } catch {
    // The session is gone (killed, or the network dropped); try with a new one.
  }
  let fresh: Connection | undefined
  try {
    fresh = await openSession(request.connection)
    await fresh.query(statement)
  } catch (thrown) {
    request.log('warn', `Could not drop helper tables ${helpers.join(', ')}: ${String(thrown)}`)
  } finally {
    await closeSession(fresh)
  }
}
