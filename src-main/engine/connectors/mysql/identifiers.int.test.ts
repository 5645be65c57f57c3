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
  readRequest,
  resolvedFor,
  serverRows,
  writeRequest,
  type DuckdbSandbox,
} from './test-support'

function pushError(request: WriteRequest): Promise<SluiceError> {
  return errorOf(mysqlDriver.write(request))
}

/** Names that would run SQL if pasted into a statement; each must be a plain name. */
const hostile = [
  'a`; DROP TABLE canary; --',
  'it\'s "quoted"',
  'semi;colon',
  '-- comment',
  'naïve 日本',
  '`',
  'x'.repeat(64),
]

describeWithServer('mariadb', 'MySQL driver: hostile identifiers', (server) => {
  let admin: mysql.Connection
  let sandbox: DuckdbSandbox
  const connection = resolvedFor(server)
  beforeAll(async () => {
    admin = await adminSession(server)
    await admin.query('CREATE TABLE IF NOT EXISTS canary (id INT)')
  })
  afterAll(async () => {
    await admin.end()
    sandbox?.close()
  })
  beforeEach(async () => {
    sandbox?.close()
    sandbox = await duckdbSandbox()
  })

  it('writes and reads back tables and columns with hostile names, executing nothing', async () => {
    const columns = hostile.map((name, index) => `${index} AS "${name.replaceAll('"', '""')}"`)
    const input = await sandbox.input('hostile', `SELECT ${columns.join(', ')}`)
    for (const table of hostile) {
      await admin.query(`DROP TABLE IF EXISTS \`${table.replaceAll('`', '``')}\``)
      for (const mode of ['create', 'upsert', 'mirror'] as const) {
        const outcome = await mysqlDriver.write(
          writeRequest(connection, sandbox, input, {
            table,
            mode,
            keys: [hostile[0] ?? ''],
          }),
        )
        expect(outcome.inserted + outcome.updated).toBeLessThanOrEqual(1)
      }
      await mysqlDriver.read(
        readRequest(connection, sandbox, {
          source: { schema: '', table },
          columns: hostile,
          where: '1 = 1',
          target: '"back"',
        }),
      )
      const back = await sandbox.rows('SELECT * FROM back')
      expect(back).toEqual([Object.fromEntries(hostile.map((name, index) => [name, index]))])
      await sandbox.duckdb.run('DROP TABLE back')
    }
    expect(await serverRows(admin, `SHOW TABLES LIKE 'canary'`)).toHaveLength(1)
  })

  it('refuses names MySQL cannot take, with a clear message', async () => {
    const cases: Array<{ select: string; table?: string; reason: RegExp; name: string }> = [
      {
        select: `SELECT 1 AS "${'y'.repeat(65)}"`,
        reason: /at most 64 characters/,
        name: 'y'.repeat(65),
      },
      { select: `SELECT 1 AS "emoji 😀"`, reason: /Basic Multilingual Plane/, name: 'emoji 😀' },
      { select: `SELECT 1 AS "line\nbreak"`, reason: /control character/, name: 'line\nbreak' },
      { select: `SELECT 1 AS "trailing "`, reason: /end with a space/, name: 'trailing ' },
      {
        select: 'SELECT 1 AS ok',
        table: 'z'.repeat(65),
        reason: /at most 64/,
        name: 'z'.repeat(65),
      },
    ]
    for (const { select, table, reason, name } of cases) {
      const input = await sandbox.input('bad', select)
      expect(input.columns.map((column) => column.name).join()).toContain(table ? 'ok' : name)
      const error = await pushError(
        writeRequest(connection, sandbox, input, { table: table ?? 'never_created' }),
      )
      expect(error.code).toBe('BAD_IDENTIFIER')
      expect(error.message).toContain(`"${name}"`)
      expect(error.message).toMatch(reason)
    }
    // DuckDB itself renames a case collision ("name_1"); a relation from elsewhere may not.
    const collision = await pushError(
      writeRequest(
        connection,
        sandbox,
        {
          ref: '"bad"',
          columns: [
            { name: 'Name', type: 'INTEGER' },
            { name: 'NAME', type: 'INTEGER' },
          ],
        },
        { table: 'never_created' },
      ),
    )
    expect(collision.message).toMatch(/columns "Name" and "NAME" differ only in letter case/)
    expect(await serverRows(admin, `SHOW TABLES LIKE 'never\\_created'`)).toEqual([])
  })

  it('refuses a hostile watermark or column on read without running it', async () => {
    const error = await errorOf(
      mysqlDriver.read(
        readRequest(connection, sandbox, {
          source: { schema: '', table: 'canary' },
          columns: ['id', 'x'.repeat(65)],
        }),
      ),
    )
    expect(error.code).toBe('SOURCE_READ_FAILED')
    expect(error.message).toMatch(/at most 64 characters/)
  })
})
