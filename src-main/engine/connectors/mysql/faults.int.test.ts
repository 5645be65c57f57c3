import type mysql from 'mysql2/promise'
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest'
import type { SluiceError } from '../../../../src-shared/errors'
import { describeWithServer } from '../database/test-servers'
import type { WriteRequest } from '../database/contract'
import { mysqlDriver } from './index'
import {
  adminSession,
  duckdbSandbox,
  errorOf,
  resolvedFor,
  serverRows,
  writeRequest,
  type DuckdbSandbox,
} from './test-support'

/** The error a push threw. */
function pushError(request: WriteRequest): Promise<SluiceError> {
  return errorOf(mysqlDriver.write(request))
}

const millionRows = `SELECT range + 1 AS id, 'order ' || range AS label, range * 1.5 AS amount FROM range(1000000)`

describeWithServer('mariadb', 'MySQL driver: faults leave the target unchanged', (server) => {
  let admin: mysql.Connection
  let sandbox: DuckdbSandbox
  const connection = resolvedFor(server)
  /** The target as it was before: its rows, fingerprinted. */
  const fingerprint = async (table: string) =>
    serverRows(
      admin,
      `SELECT count(*) AS n, sum(crc32(concat_ws('|', id, label))) AS crc FROM ${table}`,
    )
  const seed = async () => {
    await admin.query('DROP TABLE IF EXISTS fault_target')
    await admin.query(
      'CREATE TABLE fault_target (id INT PRIMARY KEY, label VARCHAR(30) NOT NULL, amount DOUBLE) ENGINE=InnoDB',
    )
    await admin.query(`INSERT INTO fault_target VALUES (-1, 'kept', 1), (-2, 'also kept', 2)`)
    return fingerprint('fault_target')
  }
  const noHelpers = async () =>
    expect(await serverRows(admin, `SHOW TABLES LIKE 'sluice\\_%'`)).toEqual([])
  beforeAll(async () => {
    admin = await adminSession(server)
  })
  afterAll(async () => {
    await admin.end()
    sandbox?.close()
  })
  beforeEach(async () => {
    sandbox?.close()
    sandbox = await duckdbSandbox()
  })

  it('appends a million rows at full speed', async () => {
    await seed()
    const input = await sandbox.input('million', millionRows)
    const started = performance.now()
    const outcome = await mysqlDriver.write(
      writeRequest(connection, sandbox, input, { table: 'fault_target', mode: 'append' }),
    )
    const seconds = (performance.now() - started) / 1000
    console.log(
      `MySQL append: 1,000,000 rows in ${seconds.toFixed(2)} s, ${Math.round(1e6 / seconds)} rows/s`,
    )
    expect(outcome.inserted).toBe(1_000_000)
    expect(await serverRows(admin, 'SELECT count(*) AS n FROM fault_target')).toEqual([
      { n: '1000002' },
    ])
  })

  for (const mode of ['append', 'replace', 'upsert'] as const) {
    it(`a connection killed halfway through the load (${mode})`, async () => {
      const before = await seed()
      const input = await sandbox.input('million', millionRows)
      let killed: Promise<unknown> | undefined
      const request = writeRequest(connection, sandbox, input, {
        table: 'fault_target',
        mode,
        keys: mode === 'upsert' ? ['id'] : [],
        progress: (update) => {
          if (!killed && (update.percent ?? 0) >= 50) {
            killed = serverRows(
              admin,
              `SELECT ID AS id FROM information_schema.PROCESSLIST WHERE INFO LIKE 'LOAD DATA%'`,
            ).then((rows) => Promise.all(rows.map((row) => admin.query(`KILL ${Number(row.id)}`))))
          }
        },
      })
      const error = await pushError(request)
      expect(killed).toBeDefined()
      expect(error.code).toBe('PUSH_FAILED')
      expect(error.message).toMatch(/Node "push1" could not write table fault_target: /)
      expect(error.message).toMatch(/connection .*lost|killed|interrupted/i)
      expect(await fingerprint('fault_target')).toEqual(before)
      await noHelpers()
    })
  }

  it('a duplicate key at row 900,000 of 1,000,000', async () => {
    const before = await seed()
    const input = await sandbox.input(
      'dupes',
      `SELECT CASE WHEN range = 899999 THEN 17 ELSE range + 1 END AS id, 'order ' || range AS label, 1.0 AS amount FROM range(1000000)`,
    )
    const error = await pushError(
      writeRequest(connection, sandbox, input, { table: 'fault_target', mode: 'append' }),
    )
    expect(error.code).toBe('PUSH_FAILED')
    expect(error.message).toMatch(/fault_target: Duplicate entry '17' for key 'PRIMARY'/)
    expect(await fingerprint('fault_target')).toEqual(before)
    const replace = await pushError(
      writeRequest(connection, sandbox, input, { table: 'fault_target', mode: 'replace' }),
    )
    expect(replace.message).toMatch(/Duplicate entry '17'/)
    expect(await fingerprint('fault_target')).toEqual(before)
    const upsert = await pushError(
      writeRequest(connection, sandbox, input, {
        table: 'fault_target',
        mode: 'upsert',
        keys: ['id'],
      }),
    )
    expect(upsert.message).toMatch(/the input has 2 rows with the same key \{"id":17\}/)
    await noHelpers()
  })

  it('a value too long for its column names the row and the column', async () => {
    const before = await seed()
    const input = await sandbox.input(
      'long',
      `SELECT range AS id, CASE WHEN range = 4 THEN repeat('x', 31) ELSE 'ok' END AS label, 0.0 AS amount FROM range(10)`,
    )
    for (const mode of ['append', 'truncate', 'upsert', 'mirror', 'replace'] as const) {
      const error = await pushError(
        writeRequest(connection, sandbox, input, {
          table: 'fault_target',
          mode,
          keys: mode === 'upsert' || mode === 'mirror' ? ['id'] : [],
        }),
      )
      expect(error.code).toBe('PUSH_FAILED')
      expect(error.message).toMatch(/column 'label' at row 5/)
      expect(await fingerprint('fault_target')).toEqual(before)
    }
    await noHelpers()
  })

  it('pre- and post-SQL run in the transaction and roll back with it', async () => {
    const before = await seed()
    const input = await sandbox.input('few', `SELECT 10 AS id, 'ten' AS label, 1.0 AS amount`)
    const error = await pushError(
      writeRequest(connection, sandbox, input, {
        table: 'fault_target',
        mode: 'append',
        preSql: `DELETE FROM fault_target WHERE id = -1; UPDATE fault_target SET amount = 9`,
        postSql: `INSERT INTO no_such_table VALUES (1)`,
      }),
    )
    expect(error.message).toMatch(/fault_target: the post-SQL failed: .*no_such_table/)
    expect(await fingerprint('fault_target')).toEqual(before)
  })

  it('a pre-SQL that ends the transaction stops the push before any row is written', async () => {
    const before = await seed()
    const input = await sandbox.input('few', `SELECT 10 AS id, 'ten' AS label, 1.0 AS amount`)
    const error = await pushError(
      writeRequest(connection, sandbox, input, {
        table: 'fault_target',
        mode: 'append',
        preSql: `COMMIT`,
      }),
    )
    expect(error.message).toMatch(/the pre-SQL ended the transaction/)
    expect(await fingerprint('fault_target')).toEqual(before)
  })

  for (const mode of ['append', 'truncate', 'replace', 'mirror'] as const) {
    it(`a cancel while pushing (${mode})`, async () => {
      const before = await seed()
      const input = await sandbox.input('million', millionRows)
      const controller = new AbortController()
      let abortedAt = 0
      const error = await pushError(
        writeRequest(connection, sandbox, input, {
          table: 'fault_target',
          mode,
          keys: mode === 'mirror' ? ['id'] : [],
          signal: controller.signal,
          progress: (update) => {
            if ((update.percent ?? 0) >= 40 && !controller.signal.aborted) {
              abortedAt = Date.now()
              controller.abort()
            }
          },
        }),
      )
      expect(error.code).toBe('CANCELLED')
      // Promptly: a server left waiting for the rest of the file would hold on for 30 s.
      expect(Date.now() - abortedAt).toBeLessThan(15_000)
      expect(await fingerprint('fault_target')).toEqual(before)
      await noHelpers()
    })
  }
})
