import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DuckDBConnection } from '@duckdb/node-api'
import pg from 'pg'
import type { SluiceError } from '../../../../src-shared/errors'
import { SluiceFailure } from '../../../../src-shared/errors'
import { queryRows } from '../../duckdb/query'
import { openStaging, type StagingDatabase } from '../../duckdb/staging'
import type { InputRelation } from '../../nodes/executor'
import type { Activity, ResolvedConnection } from '../database/contract'
import type { ServerInfo } from '../database/test-servers'

/** The test server as a project connection would resolve it. */
export function resolvedConnection(
  server: ServerInfo,
  overrides: Partial<ResolvedConnection> = {},
): ResolvedConnection {
  return {
    id: 'pg-test',
    name: 'test pg',
    kind: 'postgres',
    host: server.host,
    port: server.port,
    database: server.database,
    user: server.user,
    password: server.password,
    sslMode: 'disable',
    connectTimeoutMs: 5000,
    ...overrides,
  }
}

/** Progress and log sinks that remember what they got, and a cancel switch. */
export interface RecordedActivity extends Activity {
  controller: AbortController
  progressed: Array<{ rows?: number; bytes?: number; percent?: number }>
  logged: string[]
}

export function recordedActivity(nodeId = 'pg_node'): RecordedActivity {
  const controller = new AbortController()
  const progressed: RecordedActivity['progressed'] = []
  const logged: string[] = []
  return {
    nodeId,
    controller,
    signal: controller.signal,
    progressed,
    logged,
    progress: (update) => progressed.push(update),
    log: (level, message) => logged.push(`${level}: ${message}`),
  }
}

/** A throwaway DuckDB staging database on disk, with a work folder for spools. */
export interface DuckSandbox {
  dir: string
  workDir: string
  staging: StagingDatabase
  duckdb: DuckDBConnection
  rows(sql: string): Promise<Array<Record<string, unknown>>>
  /** Creates table `name` from `select` and describes it as a node input. */
  input(name: string, select: string): Promise<InputRelation>
  close(): void
}

export async function openDuckSandbox(): Promise<DuckSandbox> {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-pg-test-'))
  const staging = await openStaging({ path: join(dir, 'staging.duckdb'), memoryLimit: '1GB' })
  const duckdb = await staging.connect()
  const rows = (sql: string) => queryRows(duckdb, sql)
  return {
    dir,
    workDir: join(dir, 'work'),
    staging,
    duckdb,
    rows,
    input: async (name, select) => {
      const ref = `"${name.replaceAll('"', '""')}"`
      await duckdb.run(`CREATE OR REPLACE TABLE ${ref} AS ${select}`)
      const described = await rows(`DESCRIBE ${ref}`)
      return {
        ref,
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

/** A short-lived administrative session on the test server. */
export async function serverQuery<Row extends Record<string, unknown>>(
  server: ServerInfo,
  sql: string,
  values: unknown[] = [],
): Promise<Row[]> {
  const client = new pg.Client({ ...server, ssl: false })
  await client.connect()
  try {
    await client.query(`SET TimeZone = 'UTC'`)
    return (await client.query<Row>(sql, values)).rows
  } finally {
    await client.end()
  }
}

/** The Sluice error a promise rejects with; fails the test when it resolves or throws another. */
export async function failureOf(promise: Promise<unknown>): Promise<SluiceError> {
  try {
    await promise
  } catch (thrown) {
    if (thrown instanceof SluiceFailure) {
      return thrown.error
    }
    throw thrown
  }
  throw new Error('expected a failure, but it succeeded')
}
