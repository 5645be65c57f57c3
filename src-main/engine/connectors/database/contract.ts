import type { DuckDBConnection } from '@duckdb/node-api'
import type {
  BrowseEntry,
  BrowsePath,
  ChangeSamples,
  ConnectionTestResult,
  SslMode,
} from '../../../../src-shared/databases'
import type { WriteMode } from '../../../../src-shared/nodes/databases'
import type { ConnectionKind } from '../../../../src-shared/project'
import type { LogLevel } from '../../../../src-shared/run'
import type { InputRelation } from '../../nodes/executor'

export type { BrowseEntry, BrowsePath, ChangeSamples, ConnectionTestResult, SslMode }

/**
 * A project connection with its secret, ready to open. Built by the service from the stored
 * fields and the secret store; never written anywhere.
 */
export interface ResolvedConnection {
  id: string
  name: string
  kind: ConnectionKind
  host: string
  port: number
  /** PostgreSQL/MySQL: the database name. SQLite/DuckDB: the absolute file path. */
  database: string
  user: string
  password: string
  sslMode: SslMode
  /** A PEM file of the certificate authority that signed the server's certificate. */
  sslCaFile?: string
  connectTimeoutMs: number
}

/** Finds a connection by id or name, with its secret; throws `CONNECTION_NOT_FOUND` or `SECRET_MISSING`. */
export type ConnectionResolver = (reference: string) => Promise<ResolvedConnection>

/** Callbacks a long operation reports through, and its cancel signal. */
export interface Activity {
  /** The node being run, named in every error. */
  nodeId: string
  signal: AbortSignal
  progress(update: { rows?: number; bytes?: number; percent?: number }): void
  log(level: LogLevel, message: string): void
}

export interface ReadRequest extends Activity {
  connection: ResolvedConnection
  /** Either a table (in `schema`, default when empty) or a server-side SELECT. */
  source: { schema: string; table: string } | { query: string }
  /** Empty: all columns. */
  columns: string[]
  /** A condition in the server's dialect. */
  where: string
  /**
   * Incremental reads: only rows with `column` > `after` (minus `lookback`) are read; the new
   * high-water mark comes back in the outcome. `after` is null on the first run.
   */
  incremental: { column: string; after: string | null; lookback: string } | null
  duckdb: DuckDBConnection
  /** The quoted DuckDB table to create with the rows read. */
  target: string
  /** A folder for temporary files (CSV spools). */
  workDir: string
}

export interface ReadOutcome {
  rows: number
  /** Incremental reads: the largest watermark value read, or the previous one when no rows came. */
  watermark?: string | null
  warnings: string[]
}

export interface WriteRequest extends Activity {
  connection: ResolvedConnection
  schema: string
  table: string
  mode: WriteMode
  keys: string[]
  createMissing: boolean
  preSql: string
  postSql: string
  /** Work out and report the changes, then roll everything back. */
  dryRun: boolean
  duckdb: DuckDBConnection
  input: InputRelation
  workDir: string
}

export interface WriteOutcome {
  inserted: number
  updated: number
  deleted: number
  /** The DDL that ran (or, in a dry run, would run): CREATE TABLE, swaps. */
  ddl: string[]
  /** Dry runs only. */
  samples?: ChangeSamples
  warnings: string[]
  /** How the target is named in the run summary, e.g. `postgres "sales".public.orders`. */
  written: string
}

/** What each database kind implements. */
export interface DatabaseDriver {
  test(connection: ResolvedConnection): Promise<ConnectionTestResult>
  browse(connection: ResolvedConnection, path: BrowsePath): Promise<BrowseEntry[]>
  read(request: ReadRequest): Promise<ReadOutcome>
  write(request: WriteRequest): Promise<WriteOutcome>
}
