import type mysql from 'mysql2/promise'
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest'
import { SluiceFailure } from '../../../../src-shared/errors'
import { describeWithServer } from '../database/test-servers'
import { mysqlDriver } from './index'
import {
  adminSession,
  duckdbSandbox,
  readRequest,
  resolvedFor,
  type DuckdbSandbox,
} from './test-support'

const allTypes = `CREATE TABLE read_types (
  id INT PRIMARY KEY, flag TINYINT(1), ti TINYINT, tu TINYINT UNSIGNED, si SMALLINT,
  su SMALLINT UNSIGNED, mi MEDIUMINT, ii INT, iu INT UNSIGNED, bi BIGINT, bu BIGINT UNSIGNED,
  d12 DECIMAL(12,2), d38 DECIMAL(38,10), d65 DECIMAL(65,30), f FLOAT, dbl DOUBLE,
  dt DATE, dtm DATETIME(6), ts TIMESTAMP(6) NULL, tm TIME, yr YEAR, js JSON,
  en ENUM('red','green'), st SET('a','b'), bt BIT(12), bin BINARY(4), vb VARBINARY(10),
  bl BLOB, tx LONGTEXT, vc VARCHAR(50), u UUID
) ENGINE=InnoDB`

describeWithServer('mariadb', 'MySQL driver: reads', (server) => {
  let admin: mysql.Connection
  let sandbox: DuckdbSandbox
  const connection = resolvedFor(server)
  beforeAll(async () => {
    admin = await adminSession(server)
    await admin.query('DROP TABLE IF EXISTS read_types')
    await admin.query(allTypes)
    await admin.query(`INSERT INTO read_types VALUES
      (1, 1, -128, 255, -32768, 65535, -8388608, -2147483648, 4294967295,
       -9223372036854775808, 18446744073709551615, 1234567890.12,
       1234567890123456789012345678.0123456789,
       12345678901234567890123456789012345.123456789012345678901234567890,
       3.14, 2.718281828459045, '2024-02-29', '2024-02-29 23:59:59.999999',
       '2038-01-19 03:14:07.5', '838:59:59', 2155, '{"a": [1, 2]}', 'green', 'a,b', b'101010101010',
       0x00ff10ab, 0x0102, 0x000102fffe, '${'é😀'.repeat(50_000)}', 'emoji 😀 日本',
       '123e4567-e89b-12d3-a456-426614174000'),
      (2, 0, 127, 0, 32767, 0, 8388607, 2147483647, 0, 9223372036854775807, 0, -0.01,
       -0.0000000001, -1, -1.5e-30, -1.7976931348623157e308, '1000-01-01',
       '1000-01-01 00:00:00', '1970-01-01 00:00:01', '-12:30:00', 1901, '[]', 'red', '',
       b'0', 0x00000000, '', '', '', '', '00000000-0000-0000-0000-000000000000'),
      (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
       NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
       NULL)`)
  })
  afterAll(async () => {
    await admin.end()
  })
  beforeEach(async () => {
    sandbox?.close()
    sandbox = await duckdbSandbox()
  })

  it('maps every type to DuckDB exactly, NULLs included', async () => {
    const outcome = await mysqlDriver.read(
      readRequest(connection, sandbox, { source: { schema: '', table: 'read_types' } }),
    )
    expect(outcome.rows).toBe(3)
    const types = await sandbox.rows(
      `SELECT column_name AS name, column_type AS type FROM (DESCRIBE read_out)`,
    )
    expect(Object.fromEntries(types.map((row) => [row.name, row.type]))).toEqual({
      id: 'INTEGER',
      flag: 'BOOLEAN',
      ti: 'TINYINT',
      tu: 'UTINYINT',
      si: 'SMALLINT',
      su: 'USMALLINT',
      mi: 'INTEGER',
      ii: 'INTEGER',
      iu: 'UINTEGER',
      bi: 'BIGINT',
      bu: 'UBIGINT',
      d12: 'DECIMAL(12,2)',
      d38: 'DECIMAL(38,10)',
      d65: 'VARCHAR',
      f: 'FLOAT',
      dbl: 'DOUBLE',
      dt: 'DATE',
      dtm: 'TIMESTAMP',
      ts: 'TIMESTAMP WITH TIME ZONE',
      tm: 'TIME',
      yr: 'SMALLINT',
      js: 'VARCHAR',
      en: 'VARCHAR',
      st: 'VARCHAR',
      bt: 'UBIGINT',
      bin: 'BLOB',
      vb: 'BLOB',
      bl: 'BLOB',
      tx: 'VARCHAR',
      vc: 'VARCHAR',
      u: 'UUID',
    })
    const rows = await sandbox.rows(`SELECT id, flag, ti, tu, si, su, mi, ii, iu,
      CAST(bi AS VARCHAR) AS bi, CAST(bu AS VARCHAR) AS bu, CAST(d12 AS VARCHAR) AS d12,
      CAST(d38 AS VARCHAR) AS d38, d65, f = CAST(3.14 AS FLOAT) AS f_exact, dbl,
      CAST(dt AS VARCHAR) AS dt, CAST(dtm AS VARCHAR) AS dtm, epoch_us(ts) AS ts_us,
      CAST(tm AS VARCHAR) AS tm, yr, js, en, st, CAST(bt AS VARCHAR) AS bt, hex(bin) AS bin,
      hex(vb) AS vb, hex(bl) AS bl, length(tx) AS tx_len, tx = repeat('é😀', 50000) AS tx_exact,
      vc, CAST(u AS VARCHAR) AS u FROM read_out ORDER BY id`)
    expect(rows[0]).toEqual({
      id: 1,
      flag: true,
      ti: -128,
      tu: 255,
      si: -32768,
      su: 65535,
      mi: -8388608,
      ii: -2147483648,
      iu: 4294967295,
      bi: '-9223372036854775808',
      bu: '18446744073709551615',
      d12: '1234567890.12',
      d38: '1234567890123456789012345678.0123456789',
      d65: '12345678901234567890123456789012345.123456789012345678901234567890',
      f_exact: true,
      dbl: 2.718281828459045,
      dt: '2024-02-29',
      dtm: '2024-02-29 23:59:59.999999',
      ts_us: 2147483647500000,
      tm: null,
      yr: 2155,
      js: '{"a": [1, 2]}',
      en: 'green',
      st: 'a,b',
      bt: '2730',
      bin: '00FF10AB',
      vb: '0102',
      bl: '000102FFFE',
      tx_len: 100_000,
      tx_exact: true,
      vc: 'emoji 😀 日本',
      u: '123e4567-e89b-12d3-a456-426614174000',
    })
    expect(rows[1]).toMatchObject({
      flag: false,
      bi: '9223372036854775807',
      bu: '0',
      d12: '-0.01',
      d38: '-0.0000000001',
      d65: '-1.000000000000000000000000000000',
      dbl: -1.7976931348623157e308,
      dt: '1000-01-01',
      ts_us: 1_000_000,
      tm: null,
      st: '',
      bt: '0',
      vb: '',
      tx_len: 0,
      vc: '',
    })
    expect(Object.values(rows[2] ?? {}).filter((value) => value !== null)).toEqual([3])
    expect(outcome.warnings).toEqual([
      expect.stringMatching(/column "tm": 2 times outside 00:00:00–24:00:00/),
    ])
  })

  it('reads zero dates as NULL and counts them in a warning', async () => {
    await admin.query(`SET SESSION sql_mode = ''`)
    await admin.query('DROP TABLE IF EXISTS read_zero')
    await admin.query('CREATE TABLE read_zero (id INT, d DATE, dt DATETIME, ts TIMESTAMP NULL)')
    await admin.query(`INSERT INTO read_zero VALUES (1, '0000-00-00', '0000-00-00 00:00:00',
      '0000-00-00 00:00:00'), (2, '2024-01-02', '2024-01-02 03:04:05', '2024-01-02 03:04:05'),
      (3, '2024-00-10', '0000-00-00 00:00:00', NULL)`)
    await admin.query(`SET SESSION sql_mode = DEFAULT`)
    const outcome = await mysqlDriver.read(
      readRequest(connection, sandbox, { source: { schema: '', table: 'read_zero' } }),
    )
    const rows = await sandbox.rows(
      'SELECT id, CAST(d AS VARCHAR) AS d, CAST(dt AS VARCHAR) AS dt, epoch(ts) AS ts FROM read_out ORDER BY id',
    )
    expect(rows).toEqual([
      { id: 1, d: null, dt: null, ts: null },
      { id: 2, d: '2024-01-02', dt: '2024-01-02 03:04:05', ts: 1704164645 },
      { id: 3, d: null, dt: null, ts: null },
    ])
    expect(outcome.warnings).toEqual([
      'column "d": 2 zero or invalid dates (such as 0000-00-00) were read as NULL',
      'column "dt": 2 zero or invalid dates (such as 0000-00-00) were read as NULL',
      'column "ts": 1 zero or invalid timestamps (such as 0000-00-00 00:00:00) were read as NULL',
    ])
  })

  it('sends chosen columns and the condition to the server', async () => {
    const outcome = await mysqlDriver.read(
      readRequest(connection, sandbox, {
        source: { schema: server.database, table: 'read_types' },
        columns: ['id', 'vc'],
        where: 'id > 1 -- a trailing comment',
      }),
    )
    expect(outcome.rows).toBe(2)
    expect(await sandbox.rows('SELECT * FROM read_out ORDER BY id')).toEqual([
      { id: 2, vc: '' },
      { id: 3, vc: null },
    ])
  })

  it('reads a query, including a ? in a string literal', async () => {
    await mysqlDriver.read(
      readRequest(connection, sandbox, {
        source: { query: "SELECT id, 'what?' AS q FROM read_types WHERE id < 3;" },
      }),
    )
    expect(await sandbox.rows('SELECT * FROM read_out ORDER BY id')).toEqual([
      { id: 1, q: 'what?' },
      { id: 2, q: 'what?' },
    ])
  })

  it('names the node and the table when the read fails', async () => {
    const failure = await mysqlDriver
      .read(readRequest(connection, sandbox, { source: { schema: '', table: 'no_such_table' } }))
      .catch((thrown: unknown) => thrown)
    expect(failure).toBeInstanceOf(SluiceFailure)
    const error = (failure as SluiceFailure).error
    expect(error.code).toBe('SOURCE_READ_FAILED')
    expect(error.message).toMatch(
      /Node "read1" could not read table no_such_table: .*doesn't exist/,
    )
  })

  it('reads incrementally past the watermark, with a look-back window', async () => {
    await admin.query('DROP TABLE IF EXISTS read_inc')
    await admin.query('CREATE TABLE read_inc (id INT PRIMARY KEY, changed DATETIME(6), v TEXT)')
    await admin.query(`INSERT INTO read_inc VALUES (1, '2024-01-01 10:00:00', 'a'),
      (2, '2024-01-01 11:00:00', 'b')`)
    const run = async (after: string | null, lookback = '') => {
      sandbox.close()
      sandbox = await duckdbSandbox()
      const outcome = await mysqlDriver.read(
        readRequest(connection, sandbox, {
          source: { schema: '', table: 'read_inc' },
          incremental: { column: 'changed', after, lookback },
        }),
      )
      const ids = (await sandbox.rows('SELECT id FROM read_out ORDER BY id')).map((row) => row.id)
      return { ...outcome, ids }
    }
    const first = await run(null)
    expect(first).toMatchObject({ rows: 2, ids: [1, 2], watermark: '2024-01-01 11:00:00' })
    await admin.query(`INSERT INTO read_inc VALUES (3, '2024-01-01 12:00:00.5', 'c')`)
    await admin.query(`UPDATE read_inc SET changed = '2024-01-01 12:30:00', v = 'B' WHERE id = 2`)
    const second = await run(first.watermark ?? null)
    expect(second).toMatchObject({ ids: [2, 3], watermark: '2024-01-01 12:30:00' })
    const none = await run(second.watermark ?? null)
    expect(none).toMatchObject({ rows: 0, ids: [], watermark: '2024-01-01 12:30:00' })
    const lookback = await run(second.watermark ?? null, '1 hour')
    expect(lookback.ids).toEqual([2, 3])
    const numeric = await mysqlDriver.read(
      readRequest(connection, sandbox, {
        target: '"by_id"',
        source: { schema: '', table: 'read_inc' },
        incremental: { column: 'id', after: '3', lookback: '1' },
      }),
    )
    expect(numeric).toMatchObject({ rows: 1, watermark: '3' })
  })

  it('streams a large table into DuckDB and cancels a running read', async () => {
    await admin.query('DROP TABLE IF EXISTS read_big')
    await admin.query(
      'CREATE TABLE read_big (id INT PRIMARY KEY, amount DECIMAL(12,2), at DATETIME, label VARCHAR(40))',
    )
    await admin.query(`INSERT INTO read_big
      SELECT seq, seq / 100, '2024-01-01' + INTERVAL seq SECOND, CONCAT('label ', seq)
      FROM seq_1_to_500000`)
    const started = performance.now()
    const outcome = await mysqlDriver.read(
      readRequest(connection, sandbox, { source: { schema: '', table: 'read_big' } }),
    )
    const seconds = (performance.now() - started) / 1000
    console.log(
      `MySQL read: ${outcome.rows} rows in ${seconds.toFixed(2)} s, ${Math.round(outcome.rows / seconds)} rows/s`,
    )
    expect(outcome.rows).toBe(500_000)
    expect(
      await sandbox.rows('SELECT sum(amount)::VARCHAR AS s, max("at")::VARCHAR AS m FROM read_out'),
    ).toEqual([{ s: '1250002500.00', m: '2024-01-06 18:53:20' }])
    const controller = new AbortController()
    const request = readRequest(connection, sandbox, {
      target: '"cancelled"',
      source: { query: 'SELECT a.seq AS x FROM seq_1_to_100000 a, seq_1_to_1000 b' },
      signal: controller.signal,
      progress: (update) => {
        if ((update.rows ?? 0) >= 100_000) {
          controller.abort()
        }
      },
    })
    const failure = await mysqlDriver.read(request).catch((thrown: unknown) => thrown)
    expect((failure as SluiceFailure).error.code).toBe('CANCELLED')
    // The server stops the query: KILL QUERY takes effect at its next check, so poll briefly.
    let running = 1
    for (let attempt = 0; attempt < 50 && running > 0; attempt += 1) {
      const [processes] = await admin.query<mysql.RowDataPacket[]>(
        `SELECT count(*) AS n FROM information_schema.PROCESSLIST WHERE INFO LIKE '%seq_1_to_100000 a%' AND INFO NOT LIKE '%PROCESSLIST%'`,
      )
      running = Number(processes[0]?.n)
      if (running > 0) {
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    }
    expect(running).toBe(0)
  })
})
