import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest'
import type { InputRelation } from '../../nodes/executor'
import type { WriteRequest } from '../database/contract'
import { describeWithServer } from '../database/test-servers'
import { postgresDriver } from './index'
import { writeToPostgres } from './write'
import {
  failureOf,
  openDuckSandbox,
  recordedActivity,
  resolvedConnection,
  serverQuery,
  type DuckSandbox,
} from './integration-fixtures'

type WriteOverrides = Partial<WriteRequest> & Pick<WriteRequest, 'table' | 'mode' | 'input'>
type Progress = { rows?: number; bytes?: number; percent?: number }

describeWithServer(
  'postgres',
  'PostgreSQL pushes that fail leave the target as it was',
  (server) => {
    let sandbox: DuckSandbox
    let million: InputRelation
    const connection = resolvedConnection(server)
    const sql = <Row extends Record<string, unknown>>(text: string) =>
      serverQuery<Row>(server, text)
    const fingerprint = async (table: string) =>
      (
        await sql(`SELECT count(*)::int AS n, md5(string_agg(t::text, ',' ORDER BY t::text)) AS sum
                 FROM ${table} t`)
      )[0]
    const write = (overrides: WriteOverrides, onProgress?: (update: Progress) => void) => {
      const activity = recordedActivity('loader')
      const request: WriteRequest = {
        ...activity,
        progress: (update) => {
          activity.progress(update)
          onProgress?.(update)
        },
        connection,
        schema: 'faults',
        keys: [],
        createMissing: true,
        preSql: '',
        postSql: '',
        dryRun: false,
        duckdb: sandbox.duckdb,
        workDir: sandbox.workDir,
        ...overrides,
      }
      return { activity, outcome: postgresDriver.write(request) }
    }
    const ordersTable = (name: string, key = 'PRIMARY KEY') =>
      sql(`CREATE TABLE faults.${name} (id int ${key}, name text, amount numeric(12,2), at timestamp);
         INSERT INTO faults.${name} SELECT g, 'before', g, timestamp '2020-01-01'
         FROM generate_series(1, 10) g`)
    /** Sluice sessions still busy on the server: there must be none after a failed push. */
    const busySessions = async () => {
      for (let attempt = 0; attempt < 20; attempt += 1) {
        const [row] = await sql<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
         WHERE application_name = 'Sluice' AND state <> 'idle' AND pid <> pg_backend_pid()`,
        )
        if (row?.n === 0) {
          return 0
        }
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      return -1
    }

    beforeAll(async () => {
      sandbox = await openDuckSandbox()
      million = await sandbox.input(
        'million',
        `SELECT i::INTEGER AS id, 'customer ' || (i % 1000) AS name, (i * 0.01)::DECIMAL(12,2) AS amount,
         TIMESTAMP '2024-01-01' + to_seconds(i) AS at
       FROM range(1, 1000001) t(i)`,
      )
    })
    afterAll(() => sandbox.close())
    beforeEach(async () => {
      await sql('DROP SCHEMA IF EXISTS faults CASCADE; CREATE SCHEMA faults')
    })

    it('a unique violation at row 900,000 of 1,000,000 names the row and key, and keeps the table', async () => {
      await sql(`CREATE TABLE faults.unique_target (id int PRIMARY KEY, name text, amount numeric(12,2), at timestamp);
               INSERT INTO faults.unique_target VALUES (900000, 'already here', 0, NULL)`)
      const before = await fingerprint('faults.unique_target')
      const error = await failureOf(
        write({ table: 'unique_target', mode: 'append', input: million }).outcome,
      )
      expect(error.code).toBe('PUSH_FAILED')
      expect(error.nodeId).toBe('loader')
      expect(error.message).toContain('Node "loader"')
      expect(error.message).toContain('faults.unique_target')
      expect(error.message).toContain('Key (id)=(900000) already exists')
      expect(error.message).toContain('row 900000')
      expect(await fingerprint('faults.unique_target')).toEqual(before)
    })

    it('a value too long for its column names the row and column, in every mode', async () => {
      const input = await sandbox.input(
        'long_values',
        `SELECT * FROM (VALUES (1, 'ok'), (2, 'fine'), (3, 'much too long')) v(id, name)`,
      )
      await sql(`CREATE TABLE faults.narrow (id int PRIMARY KEY, name varchar(5));
               INSERT INTO faults.narrow VALUES (1, 'one'), (7, 'seven')`)
      const before = await fingerprint('faults.narrow')
      for (const mode of ['append', 'truncate', 'replace', 'upsert', 'mirror'] as const) {
        const error = await failureOf(write({ table: 'narrow', mode, keys: ['id'], input }).outcome)
        expect(error.code).toBe('PUSH_FAILED')
        expect(error.message).toContain('value too long for type character varying(5)')
        expect(error.message).toContain('row 3, column name')
        expect(await fingerprint('faults.narrow')).toEqual(before)
      }
      expect(
        await sql(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'faults'`),
      ).toEqual([{ n: 1 }])
    })

    it('a connection killed halfway through the COPY leaves the table as it was', async () => {
      // No key: the input repeats the ten ids already there, which is fine for this test.
      await ordersTable('killed', '')
      const before = await fingerprint('faults.killed')
      let killed = 0
      let killing: Promise<unknown> | undefined
      const { outcome } = write({ table: 'killed', mode: 'append', input: million }, (update) => {
        if (!killing && (update.percent ?? 0) >= 40 && (update.percent ?? 0) < 100) {
          killing = sql<{ killed: boolean }>(
            `SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity
             WHERE application_name = 'Sluice' AND query LIKE 'COPY%'`,
          ).then((rows) => {
            killed = rows.filter((row) => row.killed).length
          })
        }
      })
      const error = await failureOf(outcome)
      await killing
      expect(killed).toBe(1)
      expect(error.code).toBe('PUSH_FAILED')
      expect(error.message).toContain('faults.killed')
      expect(error.message).toContain('connection to the server was lost')
      expect(await fingerprint('faults.killed')).toEqual(before)
    })

    it('cancelling during the COPY stops the server and keeps the table', async () => {
      await ordersTable('cancelled')
      const before = await fingerprint('faults.cancelled')
      const pushed = write({ table: 'cancelled', mode: 'truncate', input: million }, (update) => {
        if ((update.percent ?? 0) >= 30) {
          pushed.activity.controller.abort()
        }
      })
      const error = await failureOf(pushed.outcome)
      expect(error.code).toBe('CANCELLED')
      expect(await fingerprint('faults.cancelled')).toEqual(before)
      expect(await busySessions()).toBe(0)
    })

    it('cancelling during the merge stops the server and keeps the table', async () => {
      await ordersTable('merging')
      const before = await fingerprint('faults.merging')
      const pushed = write(
        { table: 'merging', mode: 'mirror', keys: ['id'], input: million },
        (update) => {
          if (update.percent === 100) {
            // The COPY into staging is done; the merge statements run next.
            setTimeout(() => pushed.activity.controller.abort(), 50)
          }
        },
      )
      const error = await failureOf(pushed.outcome)
      expect(error.code).toBe('CANCELLED')
      expect(await fingerprint('faults.merging')).toEqual(before)
      expect(await busySessions()).toBe(0)
    })

    it('appends and upserts a million rows at bulk-load speed', async () => {
      await sql(
        `CREATE TABLE faults.bulk (id int PRIMARY KEY, name text, amount numeric(12,2), at timestamp)`,
      )
      let started = performance.now()
      const appended = await write({ table: 'bulk', mode: 'append', input: million }).outcome
      const appendSeconds = (performance.now() - started) / 1000
      expect(appended.inserted).toBe(1_000_000)

      // Half the keys exist (and a tenth of those changed); half are new.
      await sql(
        `DELETE FROM faults.bulk WHERE id > 500000; UPDATE faults.bulk SET name = 'changed' WHERE id % 10 = 0`,
      )
      started = performance.now()
      const upserted = await write({ table: 'bulk', mode: 'upsert', keys: ['id'], input: million })
        .outcome
      const upsertSeconds = (performance.now() - started) / 1000
      expect(upserted).toMatchObject({ inserted: 500_000, updated: 50_000, deleted: 0 })
      console.log(
        `append 1,000,000 rows: ${appendSeconds.toFixed(2)} s (${Math.round(1e6 / appendSeconds)} rows/s); ` +
          `upsert 1,000,000 rows, half existing: ${upsertSeconds.toFixed(2)} s (${Math.round(1e6 / upsertSeconds)} rows/s)`,
      )
      expect(await fingerprint('faults.bulk')).toMatchObject({ n: 1_000_000 })
    })

    it('pushes through a CSV file written whole first, as on Windows, with the same guarantees', async () => {
      await ordersTable('through_file')
      const request = (mode: WriteRequest['mode'], input: InputRelation): WriteRequest => ({
        ...recordedActivity('loader'),
        connection,
        schema: 'faults',
        table: 'through_file',
        mode,
        keys: ['id'],
        createMissing: true,
        preSql: '',
        postSql: '',
        dryRun: false,
        duckdb: sandbox.duckdb,
        workDir: sandbox.workDir,
        input,
      })
      const thousand = await sandbox.input('thousand', 'SELECT * FROM million WHERE id <= 1000')
      const upserted = await writeToPostgres(request('upsert', thousand), { follow: false })
      expect(upserted).toMatchObject({ inserted: 990, updated: 10, deleted: 0 })
      const before = await fingerprint('faults.through_file')
      const bad = await sandbox.input(
        'bad_amount',
        `SELECT 1 AS id, 'x' AS name, 'not a number' AS amount, NULL::TIMESTAMP AS at`,
      )
      const error = await failureOf(writeToPostgres(request('append', bad), { follow: false }))
      expect(error.code).toBe('PUSH_FAILED')
      expect(error.message).toContain('row 1, column amount')
      expect(await fingerprint('faults.through_file')).toEqual(before)
    })
  },
)
