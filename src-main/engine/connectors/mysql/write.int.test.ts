import type mysql from 'mysql2/promise'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { WriteMode } from '../../../../src-shared/nodes/databases'
import { describeWithServer } from '../database/test-servers'
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

describeWithServer('mariadb', 'MySQL driver: pushes', (server) => {
  let admin: mysql.Connection
  let sandbox: DuckdbSandbox
  const connection = resolvedFor(server)
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

  it('creates a table from DuckDB types and round-trips every value', async () => {
    await admin.query('DROP TABLE IF EXISTS push_types')
    const input = await sandbox.input(
      'types',
      `SELECT * FROM (VALUES
        (1, true, (-128)::TINYINT, 255::UTINYINT, (-2147483648)::INTEGER, 4294967295::UINTEGER,
         (-9223372036854775808)::BIGINT, 18446744073709551615::UBIGINT,
         '170141183460469231731687303715884105727'::HUGEINT, 12345.6789::DECIMAL(18,4),
         '12345678901234567890123456789012.123456'::DECIMAL(38,6), 3.14::FLOAT,
         -1.7976931348623157e308::DOUBLE, DATE '2024-02-29', TIMESTAMP '2024-02-29 23:59:59.999999',
         TIMESTAMPTZ '2024-06-01 12:00:00.25+02', TIME '23:59:59.5', '"x"'::JSON, [1, 2, 3],
         {'a': 'b'}, '\\x00\\xFF\\x0A'::BLOB, 'tab\there, "quoted", back\\slash \\N NULL' || chr(10) || 'new line 😀',
         uuid_extract_version('123e4567-e89b-42d3-a456-426614174000'::UUID)::VARCHAR, repeat('日本', 50000)),
        (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
         NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
        (3, false, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, DATE '1000-01-01', TIMESTAMP '1000-01-01',
         TIMESTAMPTZ '1970-01-01 00:00:00+00', TIME '00:00:00', '{}'::JSON, [], {'a': NULL},
         ''::BLOB, '', 'NULL', 'NULL')
      ) t(id, b, ti, ut, i, ui, bi, ubi, hi, d, d38, f, dbl, dt, ts, tstz, tm, js, lst, st, bl, tx, v, big)`,
    )
    const outcome = await mysqlDriver.write(
      writeRequest(connection, sandbox, input, { table: 'push_types', mode: 'create' }),
    )
    expect(outcome).toMatchObject({ inserted: 3, updated: 0, deleted: 0 })
    expect(outcome.written).toBe(`mysql test-mariadb ${server.database}.push_types`)
    expect(outcome.ddl[0]).toMatch(
      /^CREATE TABLE `sluice_test`.`push_types` \(`id` INT NULL, `b` TINYINT\(1\) NULL/,
    )
    const rows = await serverRows(
      admin,
      `SELECT id, b, ti, ut, i, ui, bi, ubi, hi, d, d38, f = CAST(3.14 AS FLOAT) AS f_exact, f,
       dbl, dt, ts, tstz, tm, js, lst, st, hex(bl) AS bl, tx, v, big = REPEAT('日本', 50000) AS big_exact
       FROM push_types ORDER BY id`,
    )
    expect(rows[0]).toMatchObject({
      id: 1,
      b: 1,
      ti: -128,
      ut: 255,
      i: -2147483648,
      ui: 4294967295,
      bi: '-9223372036854775808',
      ubi: '18446744073709551615',
      hi: '170141183460469231731687303715884105727',
      d: '12345.6789',
      d38: '12345678901234567890123456789012.123456',
      dbl: -1.7976931348623157e308,
      dt: '2024-02-29',
      ts: '2024-02-29 23:59:59.999999',
      tstz: '2024-06-01 10:00:00.250000',
      tm: '23:59:59.500000',
      js: '"x"',
      lst: '[1,2,3]',
      st: '{"a":"b"}',
      bl: '00FF0A',
      tx: 'tab\there, "quoted", back\\slash \\N NULL\nnew line 😀',
      v: '4',
      big_exact: 1,
    })
    expect(Object.values(rows[1] ?? {}).filter((value) => value !== null)).toEqual(
      [2, null].slice(0, 1),
    )
    expect(rows[2]).toMatchObject({ b: 0, bl: '', tx: '', v: 'NULL', dt: '1000-01-01' })
    // And back: reading the table gives the values that went in.
    await mysqlDriver.read({
      ...writeRequest(connection, sandbox, input, { table: 'x' }),
      source: { schema: '', table: 'push_types' },
      columns: ['id', 'tx', 'big', 'ubi', 'hi'],
      where: '',
      incremental: null,
      target: '"back"',
    })
    expect(
      await sandbox.rows(
        `SELECT count(*) AS n FROM back JOIN types USING (id) WHERE back.tx IS NOT DISTINCT FROM types.tx AND back.big IS NOT DISTINCT FROM types.big AND back.ubi IS NOT DISTINCT FROM types.ubi`,
      ),
    ).toEqual([{ n: 3 }])
  })

  it('refuses "create" when the table exists, and leaves it alone', async () => {
    await admin.query('DROP TABLE IF EXISTS push_exists')
    await admin.query('CREATE TABLE push_exists (id INT)')
    await admin.query('INSERT INTO push_exists VALUES (7)')
    const input = await sandbox.input('one', 'SELECT 1 AS id')
    const failure = await errorOf(
      mysqlDriver.write(
        writeRequest(connection, sandbox, input, { table: 'push_exists', mode: 'create' }),
      ),
    )
    expect(failure).toMatchObject({ code: 'PUSH_FAILED' })
    expect(failure.message).toMatch(
      /Node "push1" could not write table push_exists: .*already exists/,
    )
    expect(await serverRows(admin, 'SELECT id FROM push_exists')).toEqual([{ id: 7 }])
  })

  describe('each mode, run twice', () => {
    const modes: Array<{ mode: WriteMode; first: object; second: object; rows: number }> = [
      { mode: 'append', first: { inserted: 4 }, second: { inserted: 4 }, rows: 11 },
      {
        mode: 'truncate',
        first: { inserted: 4, deleted: 3 },
        second: { inserted: 4, deleted: 4 },
        rows: 4,
      },
      {
        mode: 'replace',
        first: { inserted: 4, deleted: 3 },
        second: { inserted: 4, deleted: 4 },
        rows: 4,
      },
      {
        mode: 'upsert',
        first: { inserted: 2, updated: 1 },
        second: { inserted: 0, updated: 0 },
        rows: 5,
      },
      {
        mode: 'mirror',
        first: { inserted: 2, updated: 1, deleted: 1 },
        second: { inserted: 0, updated: 0, deleted: 0 },
        rows: 4,
      },
    ]
    for (const { mode, first, second, rows } of modes) {
      it(mode, async () => {
        await admin.query('DROP TABLE IF EXISTS push_modes')
        await admin.query(
          `CREATE TABLE push_modes (id INT ${mode === 'append' ? '' : 'PRIMARY KEY'}, name VARCHAR(20) NOT NULL, note TEXT) ENGINE=InnoDB`,
        )
        await admin.query(
          `INSERT INTO push_modes VALUES (1, 'one', NULL), (2, 'two', 'keep'), (3, 'three', NULL)`,
        )
        // Row 1 unchanged, 2 changes letter case only, 3 missing, 4 and 5 new.
        const input = await sandbox.input(
          'modes',
          `SELECT * FROM (VALUES (1, 'one', NULL), (2, 'TWO', 'keep'), (4, 'four', 'n'), (5, 'five', '')) t(id, name, note)`,
        )
        const request = writeRequest(connection, sandbox, input, {
          table: 'push_modes',
          mode,
          keys: mode === 'upsert' || mode === 'mirror' ? ['id'] : [],
        })
        const outcome1 = await mysqlDriver.write(request)
        expect(outcome1).toMatchObject({ updated: 0, deleted: 0, ...first })
        const outcome2 = await mysqlDriver.write(request)
        expect(outcome2).toMatchObject({ updated: 0, deleted: 0, ...second })
        const [count] = await serverRows(admin, 'SELECT count(*) AS n FROM push_modes')
        expect(Number(count?.n)).toBe(rows)
        if (mode !== 'append') {
          expect(await serverRows(admin, 'SELECT name FROM push_modes WHERE id = 2')).toEqual([
            { name: 'TWO' },
          ])
        }
        const leftovers = await serverRows(admin, `SHOW TABLES LIKE 'sluice\\_%'`)
        expect(leftovers).toEqual([])
      })
    }
  })

  it('creates a missing table for an upsert with a primary key on text keys, then upserts', async () => {
    await admin.query('DROP TABLE IF EXISTS push_text_keys')
    const input = await sandbox.input(
      'text_keys',
      `SELECT 'k' || range AS code, 'Region ' || (range % 3) AS region, range AS n FROM range(1000)`,
    )
    const request = writeRequest(connection, sandbox, input, {
      table: 'push_text_keys',
      mode: 'upsert',
      keys: ['code', 'region'],
    })
    const first = await mysqlDriver.write(request)
    expect(first).toMatchObject({ inserted: 1000, updated: 0 })
    expect(first.ddl[0]).toMatch(/`code` VARCHAR\(255\) NOT NULL.*PRIMARY KEY \(`code`, `region`\)/)
    const changed = await sandbox.input(
      'text_keys',
      `SELECT 'k' || range AS code, 'Region ' || (range % 3) AS region, CASE WHEN range < 10 THEN -1 ELSE range END AS n FROM range(1005)`,
    )
    const second = await mysqlDriver.write({ ...request, input: changed })
    expect(second).toMatchObject({ inserted: 5, updated: 10, deleted: 0 })
    const third = await mysqlDriver.write({ ...request, input: changed })
    expect(third).toMatchObject({ inserted: 0, updated: 0, deleted: 0 })
  })

  it('runs pre- and post-SQL, several statements each, in the push transaction', async () => {
    await admin.query('DROP TABLE IF EXISTS push_hooks, push_hooks_log')
    await admin.query('CREATE TABLE push_hooks (id INT PRIMARY KEY, v TEXT)')
    await admin.query('CREATE TABLE push_hooks_log (what TEXT, n INT)')
    await admin.query(`INSERT INTO push_hooks VALUES (1, 'old')`)
    const input = await sandbox.input('hooks', `SELECT 2 AS id, 'new' AS v`)
    await mysqlDriver.write(
      writeRequest(connection, sandbox, input, {
        table: 'push_hooks',
        preSql: `DELETE FROM push_hooks WHERE id = 1; INSERT INTO push_hooks_log SELECT 'before', count(*) FROM push_hooks`,
        postSql: `INSERT INTO push_hooks_log SELECT 'after', count(*) FROM push_hooks;`,
      }),
    )
    expect(await serverRows(admin, 'SELECT * FROM push_hooks_log ORDER BY what DESC')).toEqual([
      { what: 'before', n: 0 },
      { what: 'after', n: 1 },
    ])
    expect(await serverRows(admin, 'SELECT * FROM push_hooks')).toEqual([{ id: 2, v: 'new' }])
  })

  it('dry runs report the changes with samples and change nothing', async () => {
    await admin.query('DROP TABLE IF EXISTS push_dry')
    await admin.query('CREATE TABLE push_dry (id INT PRIMARY KEY, name VARCHAR(20))')
    await admin.query(`INSERT INTO push_dry VALUES (1, 'one'), (2, 'two'), (3, 'three')`)
    const input = await sandbox.input(
      'dry',
      `SELECT * FROM (VALUES (1, 'one'), (2, 'TWO'), (4, 'four')) t(id, name)`,
    )
    const before = await serverRows(admin, 'SELECT * FROM push_dry ORDER BY id')
    const mirror = await mysqlDriver.write(
      writeRequest(connection, sandbox, input, {
        table: 'push_dry',
        mode: 'mirror',
        keys: ['id'],
        dryRun: true,
      }),
    )
    expect(mirror).toMatchObject({ inserted: 1, updated: 1, deleted: 1, ddl: [] })
    expect(mirror.samples).toEqual({
      insert: [{ id: 4, name: 'four' }],
      update: [{ id: 2, name: 'TWO' }],
      delete: [{ id: 3, name: 'three' }],
    })
    const replace = await mysqlDriver.write(
      writeRequest(connection, sandbox, input, {
        table: 'push_dry',
        mode: 'replace',
        dryRun: true,
      }),
    )
    expect(replace).toMatchObject({ inserted: 3, deleted: 3 })
    expect(replace.ddl.join('\n')).toMatch(/RENAME TABLE/)
    const created = await mysqlDriver.write(
      writeRequest(connection, sandbox, input, {
        table: 'push_dry_new',
        mode: 'append',
        dryRun: true,
      }),
    )
    expect(created.ddl).toEqual([
      expect.stringMatching(
        /^CREATE TABLE `sluice_test`.`push_dry_new` \(`id` INT NULL, `name` LONGTEXT NULL\)/,
      ),
    ])
    expect(await serverRows(admin, 'SELECT * FROM push_dry ORDER BY id')).toEqual(before)
    expect(await serverRows(admin, `SHOW TABLES LIKE 'push\\_dry\\_new'`)).toEqual([])
    expect(await serverRows(admin, `SHOW TABLES LIKE 'sluice\\_%'`)).toEqual([])
  })

  it('lists every missing, extra and incompatible column in one error', async () => {
    await admin.query('DROP TABLE IF EXISTS push_shape')
    await admin.query('CREATE TABLE push_shape (id INT, needed INT NOT NULL, d DATE, opt INT NULL)')
    const input = await sandbox.input(
      'shape',
      `SELECT 1 AS ID, 2 AS extra1, 'x'::BLOB AS d, 3 AS extra2`,
    )
    const failure = await errorOf(
      mysqlDriver.write(writeRequest(connection, sandbox, input, { table: 'push_shape' })),
    )
    expect(failure.code).toBe('PUSH_SCHEMA_MISMATCH')
    expect(failure.message).toBe(
      'Node "push1": the input does not fit table sluice_test.push_shape. Missing from the input (required by the table): needed. Not in the table: extra1, extra2. Incompatible: d (BLOB cannot go into date). Nothing was written.',
    )
  })

  it('keeps text exact on a server running with NO_BACKSLASH_ESCAPES', async () => {
    const [mode] = await serverRows(admin, 'SELECT @@GLOBAL.sql_mode AS mode')
    await admin.query(`SET GLOBAL sql_mode = CONCAT(@@GLOBAL.sql_mode, ',NO_BACKSLASH_ESCAPES')`)
    try {
      await admin.query('DROP TABLE IF EXISTS push_escapes')
      const input = await sandbox.input(
        'escapes',
        `SELECT 1 AS id, 'a\\b\\n' || chr(10) || 'c' || chr(9) || '"' AS t`,
      )
      await mysqlDriver.write(
        writeRequest(connection, sandbox, input, { table: 'push_escapes', mode: 'create' }),
      )
      // A quote and a backslash in a table name: looked up by bound values, so in this mode
      // the quote cannot end a string literal and the append finds the table it created.
      const hostile = "it's \\ here"
      await admin.query("DROP TABLE IF EXISTS `it's \\ here`")
      for (const mode of ['create', 'append'] as const) {
        await mysqlDriver.write(writeRequest(connection, sandbox, input, { table: hostile, mode }))
      }
      expect(await serverRows(admin, "SELECT count(*) AS n FROM `it's \\ here`")).toEqual([
        { n: '2' },
      ])
    } finally {
      await admin.query('SET GLOBAL sql_mode = ?', [String(mode?.mode)])
    }
    expect(await serverRows(admin, 'SELECT t FROM push_escapes')).toEqual([{ t: 'a\\b\\n\nc\t"' }])
  })

  it('falls back to multi-row INSERTs when local_infile is off, and says so', async () => {
    await admin.query('DROP TABLE IF EXISTS push_fallback')
    const input = await sandbox.input(
      'fallback',
      `SELECT range AS id, 'row ' || range || chr(9) || '"q"\\' AS label, CASE WHEN range % 7 = 0 THEN NULL ELSE '\\x01\\x02'::BLOB END AS bytes FROM range(20000)`,
    )
    await admin.query('SET GLOBAL local_infile = 0')
    try {
      const request = writeRequest(connection, sandbox, input, {
        table: 'push_fallback',
        mode: 'create',
      })
      const logs: string[] = []
      const outcome = await mysqlDriver.write({
        ...request,
        log: (_level, message) => logs.push(message),
      })
      expect(outcome.inserted).toBe(20_000)
      expect(outcome.warnings).toEqual([
        expect.stringMatching(/does not allow LOAD DATA LOCAL INFILE/),
      ])
      expect(logs).toEqual([expect.stringMatching(/multi-row INSERTs/)])
    } finally {
      await admin.query('SET GLOBAL local_infile = 1')
    }
    expect(
      await serverRows(
        admin,
        `SELECT count(*) AS n, sum(bytes IS NULL) AS nulls, max(label) AS label, hex(max(bytes)) AS bytes FROM push_fallback WHERE label = CONCAT('row ', id, CHAR(9), '"q"\\\\')`,
      ),
    ).toEqual([{ n: '20000', nulls: '2858', label: 'row 9999\t"q"\\', bytes: '0102' }])
  })
})
