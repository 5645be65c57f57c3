import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SluiceFailure } from '../../../../src-shared/errors'
import { sqliteDriver } from './index'
import { createFileDatabaseFixture, type FileDatabaseFixture } from './test-fixture'

let fixture: FileDatabaseFixture
let file: string

beforeAll(async () => {
  fixture = await createFileDatabaseFixture()
  file = join(fixture.dir, 'shop.sqlite')
  const database = new Database(file)
  database.exec(`
    CREATE TABLE orders (
      id INTEGER PRIMARY KEY,
      customer VARCHAR(40) NOT NULL,
      amount REAL,
      price DECIMAL(12,2),
      placed DATETIME,
      shipped DATE,
      paid BOOLEAN,
      note TEXT,
      photo BLOB,
      extra
    );
    CREATE VIEW big_orders AS SELECT * FROM orders WHERE amount > 100;
  `)
  const insert = database.prepare('INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
  insert.run(
    1,
    'Åsa 🚀',
    12.5,
    '19.99',
    '2024-03-01 10:00:00',
    '2024-03-02',
    1,
    'x'.repeat(100_000),
    Buffer.from([0, 1, 255]),
    7n,
  )
  insert.run(2, 'Bob', 1e308, 0.1, 1_700_000_000, 2460000.5, 0, null, null, 8n)
  insert.run(3, 'Cy', null, null, null, null, null, 'n', null, null)
  insert.run(
    9_223_372_036_854_775_807n,
    'Max',
    -1e-300,
    '-9999999999.99',
    '2024-03-01T10:00:00.123',
    'not a date',
    'maybe',
    '',
    Buffer.alloc(0),
    9n,
  )
  database.close()
})

afterAll(() => fixture.close())

const connection = () => fixture.connection(file, 'sqlite')

describe('sqlite test and browse', () => {
  it('reports the SQLite version', async () => {
    const result = await sqliteDriver.test(connection())
    expect(result.serverVersion).toMatch(/^SQLite 3\.\d+/)
  })

  it('names a missing file and refuses a file that is not SQLite', async () => {
    const missing = join(fixture.dir, 'missing.sqlite')
    await expect(sqliteDriver.test(fixture.connection(missing, 'sqlite'))).rejects.toMatchObject({
      error: { code: 'FILE_NOT_FOUND', message: `File not found: ${missing}.` },
    })
    const junk = join(fixture.dir, 'junk.sqlite')
    writeFileSync(junk, 'this is a text file, long enough to have a header. '.repeat(20))
    const failure = await sqliteDriver.test(fixture.connection(junk, 'sqlite')).catch((e) => e)
    expect(failure).toBeInstanceOf(SluiceFailure)
    expect(failure.error.code).toBe('CONNECTION_FAILED')
    expect(failure.error.message).toContain('is not a SQLite database')
  })

  it('lists main, its tables and views with rows, and typed columns', async () => {
    expect(await sqliteDriver.browse(connection(), {})).toEqual([{ type: 'schema', name: 'main' }])
    expect(await sqliteDriver.browse(connection(), { schema: 'main' })).toEqual([
      { type: 'table', schema: 'main', name: 'big_orders', view: true, estimatedRows: null },
      { type: 'table', schema: 'main', name: 'orders', view: false, estimatedRows: 4 },
    ])
    const columns = await sqliteDriver.browse(connection(), { schema: 'main', table: 'orders' })
    expect(columns.map((column) => column.type === 'column' && column.duckdbType)).toEqual([
      'BIGINT',
      'VARCHAR',
      'DOUBLE',
      'DECIMAL(12,2)',
      'TIMESTAMP',
      'DATE',
      'BOOLEAN',
      'VARCHAR',
      'BLOB',
      'BLOB (typeless: decided by the values read)',
    ])
    expect(columns[0]).toMatchObject({ serverType: 'INTEGER', primaryKey: true, nullable: false })
    expect(columns[1]).toMatchObject({ serverType: 'VARCHAR(40)', nullable: false })
    expect(columns[2]).toMatchObject({ nullable: true, primaryKey: false })
  })
})

describe('sqlite read', () => {
  it('reads every type into DuckDB, with NULLs, unicode, long text and extremes', async () => {
    const request = fixture.readRequest(connection(), { schema: '', table: 'orders' })
    const outcome = await sqliteDriver.read(request)
    expect(outcome.rows).toBe(4)
    expect(outcome.warnings).toEqual([
      '1 value(s) in column "shipped" (declared DATE) could not be read as DATE and became NULL.',
      '1 value(s) in column "paid" (declared BOOLEAN) could not be read as BOOLEAN and became NULL.',
    ])
    const types = await fixture.rows(
      `SELECT column_name, column_type FROM (DESCRIBE ${request.target})`,
    )
    expect(types.map((row) => row.column_type)).toEqual([
      'BIGINT',
      'VARCHAR',
      'DOUBLE',
      'DECIMAL(12,2)',
      'TIMESTAMP',
      'DATE',
      'BOOLEAN',
      'VARCHAR',
      'BLOB',
      'BIGINT',
    ])
    const rows = await fixture.rows(
      `SELECT id::VARCHAR AS id, customer, amount, price::VARCHAR AS price, placed::VARCHAR AS placed,
         shipped::VARCHAR AS shipped, paid, length(note) AS note, hex(photo) AS photo, extra
       FROM ${request.target} ORDER BY id`,
    )
    expect(rows).toEqual([
      {
        id: '1',
        customer: 'Åsa 🚀',
        amount: 12.5,
        price: '19.99',
        placed: '2024-03-01 10:00:00',
        shipped: '2024-03-02',
        paid: true,
        note: 100_000,
        photo: '0001FF',
        extra: 7,
      },
      {
        id: '2',
        customer: 'Bob',
        amount: 1e308,
        price: '0.10',
        placed: '2023-11-14 22:13:20',
        shipped: '2023-02-25',
        paid: false,
        note: null,
        photo: null,
        extra: 8,
      },
      {
        id: '3',
        customer: 'Cy',
        amount: null,
        price: null,
        placed: null,
        shipped: null,
        paid: null,
        note: 1,
        photo: null,
        extra: null,
      },
      {
        id: '9223372036854775807',
        customer: 'Max',
        amount: -1e-300,
        price: '-9999999999.99',
        placed: '2024-03-01 10:00:00.123',
        shipped: null,
        paid: null,
        note: 0,
        photo: '',
        extra: 9,
      },
    ])
  })

  it('pushes columns and WHERE to SQLite, and reads queries', async () => {
    const request = fixture.readRequest(
      connection(),
      { schema: 'main', table: 'orders' },
      { columns: ['id', 'customer'], where: 'id < 3' },
    )
    expect((await sqliteDriver.read(request)).rows).toBe(2)
    expect(await fixture.rows(`SELECT * FROM ${request.target} ORDER BY id`)).toEqual([
      { id: 1, customer: 'Åsa 🚀' },
      { id: 2, customer: 'Bob' },
    ])
    const query = fixture.readRequest(connection(), {
      query:
        'SELECT customer, count(*) AS n, sum(amount) / 2 AS half FROM orders GROUP BY customer;',
    })
    expect((await sqliteDriver.read(query)).rows).toBe(4)
    const types = await fixture.rows(`SELECT column_type FROM (DESCRIBE ${query.target})`)
    expect(types.map((row) => row.column_type)).toEqual(['VARCHAR', 'BIGINT', 'DOUBLE'])
  })

  it('widens a column whose values do not fit its declared type, with a warning', async () => {
    const mixed = join(fixture.dir, 'mixed.sqlite')
    const database = new Database(mixed)
    database.exec(
      `CREATE TABLE m (n INTEGER, t); INSERT INTO m VALUES (1, 1), (2.5, 2), ('three', 'x')`,
    )
    database.close()
    const request = fixture.readRequest(fixture.connection(mixed, 'sqlite'), {
      schema: '',
      table: 'm',
    })
    const outcome = await sqliteDriver.read(request)
    expect(outcome.warnings).toEqual([
      'Column "n" is declared INTEGER but row 2 holds a real; it was read as DOUBLE.',
      'Column "n" is declared INTEGER but row 3 holds text; it was read as VARCHAR.',
    ])
    expect(await fixture.rows(`SELECT * FROM ${request.target}`)).toEqual([
      { n: '1', t: '1' },
      { n: '2.5', t: '2' },
      { n: 'three', t: 'x' },
    ])
  })

  it('reads the ANY column of a STRICT table by its values', async () => {
    const strict = join(fixture.dir, 'strict.sqlite')
    const database = new Database(strict)
    database.exec(`CREATE TABLE s (n INTEGER, v ANY) STRICT; INSERT INTO s VALUES (1, 5), (2, 6)`)
    database.close()
    const request = fixture.readRequest(fixture.connection(strict, 'sqlite'), {
      schema: '',
      table: 's',
    })
    expect(await sqliteDriver.read(request)).toMatchObject({ rows: 2, warnings: [] })
    const types = await fixture.rows(`SELECT column_type FROM (DESCRIBE ${request.target})`)
    expect(types).toEqual([{ column_type: 'BIGINT' }, { column_type: 'BIGINT' }])
  })

  it('reads incrementally past the watermark, with a look-back, and keeps it when nothing is new', async () => {
    const first = fixture.readRequest(
      connection(),
      { schema: '', table: 'orders' },
      {
        incremental: { column: 'id', after: null, lookback: '' },
      },
    )
    expect(await sqliteDriver.read(first)).toMatchObject({
      rows: 4,
      watermark: '9223372036854775807',
    })
    const next = fixture.readRequest(
      connection(),
      { schema: '', table: 'orders' },
      {
        incremental: { column: 'id', after: '2', lookback: '' },
      },
    )
    expect(await sqliteDriver.read(next)).toMatchObject({
      rows: 2,
      watermark: '9223372036854775807',
    })
    const lookback = fixture.readRequest(
      connection(),
      { schema: '', table: 'orders' },
      {
        incremental: { column: 'id', after: '3', lookback: '1' },
      },
    )
    expect((await sqliteDriver.read(lookback)).rows).toBe(2)
    const none = fixture.readRequest(
      connection(),
      { schema: '', table: 'orders' },
      {
        incremental: { column: 'id', after: '9223372036854775807', lookback: '' },
      },
    )
    expect(await sqliteDriver.read(none)).toMatchObject({
      rows: 0,
      watermark: '9223372036854775807',
    })
    const byTime = fixture.readRequest(
      connection(),
      { schema: '', table: 'orders' },
      {
        columns: ['id'],
        where: "typeof(placed) = 'text'",
        incremental: { column: 'placed', after: '2024-03-01 11:00:00', lookback: '2 hours' },
      },
    )
    const byEpoch = fixture.readRequest(
      connection(),
      { schema: '', table: 'orders' },
      {
        columns: ['id'],
        where: "typeof(placed) = 'integer'",
        incremental: { column: 'placed', after: '1700003600', lookback: '2 hours' },
      },
    )
    expect(await sqliteDriver.read(byEpoch)).toMatchObject({ rows: 1, watermark: '1700003600' })
    expect(await sqliteDriver.read(byTime)).toMatchObject({
      rows: 2,
      watermark: '2024-03-01T10:00:00.123',
    })
  })

  it('cancels between batches and leaves no table behind', async () => {
    const large = join(fixture.dir, 'large.sqlite')
    const database = new Database(large)
    database.exec(
      `CREATE TABLE n (i INTEGER); WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 50000) INSERT INTO n SELECT i FROM c`,
    )
    database.close()
    const controller = new AbortController()
    const request = fixture.readRequest(
      fixture.connection(large, 'sqlite'),
      { schema: '', table: 'n' },
      {
        signal: controller.signal,
        progress: () => controller.abort(),
      },
    )
    await expect(sqliteDriver.read(request)).rejects.toMatchObject({ error: { code: 'CANCELLED' } })
    const tables = await fixture.rows(
      `SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'sluice_sqlite_read_%' OR table_name = ${`'${request.target.slice(1, -1)}'`}`,
    )
    expect(tables).toEqual([])
  })

  it('quotes hostile names and explains a bad query', async () => {
    const hostile = join(fixture.dir, 'hostile.sqlite')
    const database = new Database(hostile)
    database.exec(
      `CREATE TABLE "a""; DROP TABLE x; --" ("we""ird -- col" INTEGER, "ünï" TEXT); INSERT INTO "a""; DROP TABLE x; --" VALUES (1, 'ok')`,
    )
    database.close()
    const request = fixture.readRequest(
      fixture.connection(hostile, 'sqlite'),
      {
        schema: '',
        table: 'a"; DROP TABLE x; --',
      },
      { columns: ['we"ird -- col', 'ünï'] },
    )
    expect((await sqliteDriver.read(request)).rows).toBe(1)
    expect(await fixture.rows(`SELECT * FROM ${request.target}`)).toEqual([
      { 'we"ird -- col': 1, ünï: 'ok' },
    ])
    const bad = fixture.readRequest(fixture.connection(hostile, 'sqlite'), {
      schema: '',
      table: 'nope',
    })
    await expect(sqliteDriver.read(bad)).rejects.toMatchObject({
      error: {
        code: 'SOURCE_READ_FAILED',
        message: expect.stringContaining('no such table: main.nope'),
      },
    })
    const control = fixture.readRequest(fixture.connection(hostile, 'sqlite'), {
      schema: '',
      table: 'a\nb',
    })
    await expect(sqliteDriver.read(control)).rejects.toMatchObject({
      error: { code: 'BAD_IDENTIFIER' },
    })
  })
})
