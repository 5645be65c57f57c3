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
import { connectionTo, type ServerInfo } from '../database/test-servers'

/** The test server as a project connection would resolve it. */
export function resolvedConnection(
  server: ServerInfo,
  overrides: Partial<ResolvedConnection> = {},
): ResolvedConnection {
  return connectionTo(server, { id: 'pg-test', name: 'test pg', kind: 'postgres', ...overrides })
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

/** Every type the mapping knows, with extremes, NULLs, unicode, long text and odd characters. */
export function typesTableSql(table: string, mood: string): string {
  return `
  DROP TABLE IF EXISTS read_types; DROP TYPE IF EXISTS read_mood;
  CREATE TYPE read_mood AS ENUM ('sad', 'happy');
  CREATE TABLE read_types (
    id int PRIMARY KEY, i2 smallint, i4 integer, i8 bigint, r real, d double precision,
    n numeric(38,10), nbig numeric(50,5), nfree numeric, b boolean, t text, vc varchar(20),
    ch char(3), dt date, ts timestamp, tstz timestamptz, tm time, tmtz timetz, iv interval,
    js json, jb jsonb, u uuid, by bytea, mood read_mood, arr int[], tarr text[], ip inet);
  INSERT INTO read_types VALUES
    (1, -32768, 2147483647, 9223372036854775807, 3.4028235e38, 1.7976931348623157e308,
     1234567890123456789012345678.0123456789, 123456789012345678901234567890123456789012345.12345,
     0.1, true, 'héllo 😀 中文', 'x', 'abc', '2024-02-29', '2024-02-29 13:14:15.123456',
     '2024-02-29 13:14:15.123456+05:30', '23:59:59.999999', '10:00:00+05:30',
     '1 year 2 months -3 days 04:05:06.5', '{"a": [1, 2]}', '{"b": null}',
     'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '\\x00ff41', 'happy', '{1,NULL,3}',
     '{"a,b","c\\"d"}', '192.168.0.1/24'),
    (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
     NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
    (3, 0, -2147483648, -9223372036854775808, -0.5, 'NaN', -0.0000000001, 0, 'Infinity', false,
     '', '', '', '-infinity', 'infinity', '1970-01-01 00:00:00+00', '00:00:00', '00:00:00-12',
     '-1 days +02:00:00', '""', '[]', '00000000-0000-0000-0000-000000000000', '\\x', 'sad', '{}',
     '{""}', '::1'),
    (4, 1, 1, 1, 1, 1, 1, 1, 1, true, repeat('ab€', 33334), E'line1\\nline2, "q"', '\\.',
     '0001-01-01', '2262-04-11 23:47:16.854775', '2000-01-01 00:00:00-08', '12:00:00',
     '12:00:00+00', '0 seconds', 'null', '"\\u00e9"', 'ffffffff-ffff-ffff-ffff-ffffffffffff',
     decode(repeat('00ff', 5000), 'hex'), 'happy', '{-2147483648}', '{"\\\\.", NULL}', '10.0.0.1');
`
    .replaceAll('read_types', table)
    .replaceAll('read_mood', mood)
}
