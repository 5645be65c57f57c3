import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DuckDBConnection } from '@duckdb/node-api'
import mysql from 'mysql2/promise'
import { SluiceFailure, type SluiceError } from '../../../../src-shared/errors'
import type { LogLevel } from '../../../../src-shared/run'
import { openStaging, type StagingDatabase } from '../../duckdb/staging'
import { queryRows } from '../../duckdb/query'
import { quoteIdent } from '../../duckdb/quote'
import type { InputRelation } from '../../nodes/executor'
import type { ReadRequest, ResolvedConnection, WriteRequest } from '../database/contract'
import { connectionTo, type ServerInfo } from '../database/test-servers'

/** A connection to the test server as the service would resolve it. */
export function resolvedFor(
  server: ServerInfo,
  overrides: Partial<ResolvedConnection> = {},
): ResolvedConnection {
  return connectionTo(server, { id: 'c1', name: 'test-mariadb', kind: 'mysql', ...overrides })
}

/** An administrative session to set up and inspect tables, outside the driver. */
export async function adminSession(server: ServerInfo): Promise<mysql.Connection> {
  return mysql.createConnection({
    host: server.host,
    port: server.port,
    user: server.user,
    password: server.password,
    database: server.database,
    charset: 'utf8mb4',
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    multipleStatements: true,
    jsonStrings: true,
  })
}

/** Rows of a server query, as plain objects. */
export async function serverRows(
  session: mysql.Connection,
  sql: string,
): Promise<Array<Record<string, unknown>>> {
  const [rows] = await session.query<mysql.RowDataPacket[]>(sql)
  return rows.map((row) => ({ ...row }))
}

/** A file-backed DuckDB staging database in a temp folder, with one connection. */
export interface DuckdbSandbox {
  staging: StagingDatabase
  duckdb: DuckDBConnection
  workDir: string
  rows(sql: string): Promise<Array<Record<string, unknown>>>
  /** Creates a DuckDB table from a SELECT and describes it as a sink's input. */
  input(name: string, select: string): Promise<InputRelation>
  close(): void
}

export async function duckdbSandbox(): Promise<DuckdbSandbox> {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-mysql-'))
  const staging = await openStaging({ path: join(dir, 'staging.duckdb'), memoryLimit: '512MB' })
  const duckdb = await staging.connect()
  return {
    staging,
    duckdb,
    workDir: join(dir, 'work'),
    rows: (sql) => queryRows(duckdb, sql),
    input: async (name, select) => {
      await duckdb.run(`CREATE OR REPLACE TABLE ${quoteIdent(name)} AS ${select}`)
      const described = await queryRows(duckdb, `DESCRIBE ${quoteIdent(name)}`)
      return {
        ref: quoteIdent(name),
        columns: described.map((row) => ({
          name: String(row.column_name),
          type: String(row.column_type),
        })),
      }
    },
    close: () => {
      duckdb.closeSync()
      staging.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** What a request reported while it ran. */
export interface Recorded {
  logs: Array<{ level: LogLevel; message: string }>
  progress: Array<{ rows?: number; bytes?: number; percent?: number }>
}

/** The activity part of a request, recording logs and progress. */
export function activity(signal: AbortSignal = new AbortController().signal): {
  recorded: Recorded
  nodeId: string
  signal: AbortSignal
  progress: (update: { rows?: number; bytes?: number; percent?: number }) => void
  log: (level: LogLevel, message: string) => void
} {
  const recorded: Recorded = { logs: [], progress: [] }
  return {
    recorded,
    nodeId: 'push1',
    signal,
    progress: (update) => recorded.progress.push(update),
    log: (level, message) => recorded.logs.push({ level, message }),
  }
}

/** A read request with defaults: all columns, no condition, not incremental. */
export function readRequest(
  connection: ResolvedConnection,
  sandbox: DuckdbSandbox,
  overrides: Partial<ReadRequest> & Pick<ReadRequest, 'source'>,
): ReadRequest {
  const { recorded: _recorded, ...rest } = activity()
  return {
    ...rest,
    nodeId: 'read1',
    connection,
    columns: [],
    where: '',
    incremental: null,
    duckdb: sandbox.duckdb,
    target: quoteIdent('read_out'),
    workDir: sandbox.workDir,
    ...overrides,
  }
}

/** A write request with defaults: append, no keys, create missing, no hooks, not a dry run. */
export function writeRequest(
  connection: ResolvedConnection,
  sandbox: DuckdbSandbox,
  input: InputRelation,
  overrides: Partial<WriteRequest> & Pick<WriteRequest, 'table'>,
): WriteRequest {
  const { recorded: _recorded, ...rest } = activity()
  return {
    ...rest,
    connection,
    schema: '',
    mode: 'append',
    keys: [],
    createMissing: true,
    preSql: '',
    postSql: '',
    dryRun: false,
    duckdb: sandbox.duckdb,
    input,
    workDir: sandbox.workDir,
    ...overrides,
  }
}

/** The Sluice error a call failed with; fails the test when it succeeds or throws anything else. */
export async function errorOf(work: Promise<unknown>): Promise<SluiceError> {
  const thrown = await work.then(
    () => new Error('expected the call to fail'),
    (error: unknown) => error,
  )
  if (thrown instanceof SluiceFailure) {
    return thrown.error
  }
  throw thrown
}
