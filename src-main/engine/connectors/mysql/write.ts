import { mkdir } from 'node:fs/promises'
import type { Readable } from 'node:stream'
import type { Connection, RowDataPacket } from 'mysql2/promise'
import type { WriteOutcome, WriteRequest } from '../database/contract'
import { firstDuplicateKey } from '../database/duplicate-keys'
import { quoteQualified } from '../database/identifiers'
import { queryNumber } from '../../duckdb/query'
import { closeSession, killQuery, openSession } from './connect'
import { pushFailure, pushRefused, type PushPlace } from './failures'
import { pushByMerge, pushDirect, pushIntoNewTable } from './write-modes'
import type { InfileSource, Push } from './write-push'
import {
  checkIdentifiers,
  describeTarget,
  foldName,
  hasUniqueKeyOn,
  mapColumns,
  type ColumnMapping,
} from './write-target'

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
  const infile: InfileSource = {}
  const infileStream = (): Readable => {
    if (!infile.spool) {
      // The server asked for a file outside a load: a hostile server, never Sluice's own SQL.
      throw new Error('no push data is being loaded')
    }
    return infile.spool.open()
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
    const rows =
      request.input.rows ??
      (await queryNumber(request.duckdb, `SELECT count(*) FROM ${request.input.ref}`))
    const push: Push = {
      request,
      place,
      session,
      target,
      qualified: quoteQualified('mysql', schema, target.table),
      mappings,
      rows,
      infile,
      useInfile: true,
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
  }
}

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
/** Upsert and mirror need each key once: which input row would win is otherwise a guess. */
async function refuseDuplicateKeys(request: WriteRequest, place: PushPlace): Promise<void> {
  const duplicate = await firstDuplicateKey(
    request.duckdb,
    request.input.ref,
    request.keys,
    request.signal,
  )
  if (duplicate) {
    throw pushRefused(
      place,
      `the input has ${duplicate.rows} rows with the same key ${JSON.stringify(duplicate.key)}; each key must appear once`,
    )
  }
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
