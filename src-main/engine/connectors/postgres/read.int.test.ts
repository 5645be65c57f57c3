import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { ReadRequest } from '../database/contract'
import { describeWithServer } from '../database/test-servers'
import { postgresDriver } from './index'
import {
  failureOf,
  openDuckSandbox,
  recordedActivity,
  resolvedConnection,
  serverQuery,
  typesTableSql,
  type DuckSandbox,
} from './integration-fixtures'

describeWithServer('postgres', 'PostgreSQL reads into DuckDB', (server) => {
  let sandbox: DuckSandbox
  const connection = resolvedConnection(server)
  const read = (overrides: Partial<ReadRequest> & Pick<ReadRequest, 'source'>) => {
    const activity = recordedActivity()
    const request: ReadRequest = {
      ...activity,
      connection,
      columns: [],
      where: '',
      incremental: null,
      duckdb: sandbox.duckdb,
      target: '"read_out"',
      workDir: sandbox.workDir,
      ...overrides,
    }
    return { activity, outcome: postgresDriver.read(request) }
  }

  beforeAll(async () => {
    sandbox = await openDuckSandbox()
    await serverQuery(server, typesTableSql('read_types', 'read_mood'))
  })
  afterAll(() => sandbox.close())

  it('maps every supported type to its DuckDB type', async () => {
    const { outcome } = read({ source: { schema: 'public', table: 'read_types' } })
    const result = await outcome
    expect(result.rows).toBe(4)
    expect(result.warnings.join('\n')).toMatch(/nbig.*exact text/)
    expect(result.warnings.join('\n')).toMatch(/nfree.*DOUBLE/)
    const types = await sandbox.rows('DESCRIBE read_out')
    expect(Object.fromEntries(types.map((row) => [row.column_name, row.column_type]))).toEqual({
      id: 'INTEGER',
      i2: 'SMALLINT',
      i4: 'INTEGER',
      i8: 'BIGINT',
      r: 'FLOAT',
      d: 'DOUBLE',
      n: 'DECIMAL(38,10)',
      nbig: 'VARCHAR',
      nfree: 'DOUBLE',
      b: 'BOOLEAN',
      t: 'VARCHAR',
      vc: 'VARCHAR',
      ch: 'VARCHAR',
      dt: 'DATE',
      ts: 'TIMESTAMP',
      tstz: 'TIMESTAMP WITH TIME ZONE',
      tm: 'TIME',
      tmtz: 'TIME WITH TIME ZONE',
      iv: 'INTERVAL',
      js: 'JSON',
      jb: 'JSON',
      u: 'UUID',
      by: 'BLOB',
      mood: 'VARCHAR',
      arr: 'VARCHAR',
      tarr: 'VARCHAR',
      ip: 'VARCHAR',
    })
  })

  it('keeps every value exactly: extremes, NULLs, empty strings, unicode and long text', async () => {
    await read({ source: { schema: '', table: 'read_types' } }).outcome
    const rows = await sandbox.rows(
      `SET TimeZone = 'UTC';
       SELECT id, i2, i4, i8::VARCHAR AS i8, r::VARCHAR AS r, d::VARCHAR AS d, n::VARCHAR AS n,
         nbig, nfree::VARCHAR AS nfree, b, length(t) AS t_length, left(t, 12) AS t, vc, ch,
         dt::VARCHAR AS dt, ts::VARCHAR AS ts, tstz::VARCHAR AS tstz, tm::VARCHAR AS tm,
         tmtz::VARCHAR AS tmtz, iv::VARCHAR AS iv, js::VARCHAR AS js, jb::VARCHAR AS jb,
         u::VARCHAR AS u, hex("by") AS "by", octet_length("by") AS by_length, mood, arr, tarr, ip
       FROM read_out ORDER BY id`,
    )
    expect(rows[0]).toEqual({
      id: 1,
      i2: -32768,
      i4: 2147483647,
      i8: '9223372036854775807',
      r: '3.4028235e+38',
      d: '1.7976931348623157e+308',
      n: '1234567890123456789012345678.0123456789',
      nbig: '123456789012345678901234567890123456789012345.12345',
      nfree: '0.1',
      b: true,
      t_length: 10,
      t: 'héllo 😀 中文',
      vc: 'x',
      ch: 'abc',
      dt: '2024-02-29',
      ts: '2024-02-29 13:14:15.123456',
      tstz: '2024-02-29 07:44:15.123456+00',
      tm: '23:59:59.999999',
      tmtz: '10:00:00+05:30',
      iv: '1 year 2 months -3 days 04:05:06.5',
      js: '{"a": [1, 2]}',
      jb: '{"b": null}',
      u: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
      by: '00FF41',
      by_length: 3,
      mood: 'happy',
      arr: '[1,null,3]',
      tarr: '["a,b","c\\"d"]',
      ip: '192.168.0.1/24',
    })
    const second = rows[1] ?? {}
    expect(
      Object.entries(second).filter(([name, value]) => name !== 'id' && value !== null),
    ).toEqual([])
    expect(rows[2]).toMatchObject({
      i4: -2147483648,
      i8: '-9223372036854775808',
      d: 'nan',
      n: '-0.0000000001',
      nfree: 'inf',
      b: false,
      t: '',
      t_length: 0,
      vc: '',
      ch: '   ',
      dt: '-infinity',
      ts: 'infinity',
      tstz: '1970-01-01 00:00:00+00',
      tmtz: '00:00:00-12',
      iv: '-1 day 02:00:00',
      js: '""',
      jb: '[]',
      by: '',
      by_length: 0,
      arr: '[]',
      tarr: '[""]',
    })
    expect(rows[3]).toMatchObject({
      t_length: 100002,
      t: 'ab€ab€ab€ab€',
      vc: 'line1\nline2, "q"',
      ch: '\\. ',
      dt: '0001-01-01',
      ts: '2262-04-11 23:47:16.854775',
      tstz: '2000-01-01 08:00:00+00',
      iv: '00:00:00',
      js: 'null',
      jb: '"é"',
      by_length: 10000,
      arr: '[-2147483648]',
      tarr: '["\\\\.",null]',
    })
  })

  it('reads chosen columns with a WHERE condition, and a query, on the server', async () => {
    const { outcome } = read({
      source: { schema: 'public', table: 'read_types' },
      columns: ['id', 'mood'],
      where: `mood = 'happy'`,
    })
    expect((await outcome).rows).toBe(2)
    expect(await sandbox.rows('SELECT * FROM read_out ORDER BY id')).toEqual([
      { id: 1, mood: 'happy' },
      { id: 4, mood: 'happy' },
    ])
    const query = read({
      source: { query: 'SELECT id, id * 2 AS twice, id AS "ID" FROM read_types -- all of them' },
      where: 'id > 2 -- the later ones',
    })
    expect((await query.outcome).warnings.join()).toContain('"ID_2"')
    expect(await sandbox.rows('SELECT * FROM read_out ORDER BY id')).toEqual([
      { id: 3, twice: 6, ID_2: 3 },
      { id: 4, twice: 8, ID_2: 4 },
    ])
  })

  it('reads only rows past the watermark, with a look-back, and proposes the next mark', async () => {
    await serverQuery(
      server,
      `DROP TABLE IF EXISTS read_events;
       CREATE TABLE read_events (id int, at timestamptz, note text);
       INSERT INTO read_events SELECT g, timestamptz '2024-01-01 00:00:00+00' + g * interval '1 hour', 'n'
       FROM generate_series(1, 10) g;`,
    )
    const source = { schema: 'public', table: 'read_events' }
    const first = await read({ source, incremental: { column: 'at', after: null, lookback: '' } })
      .outcome
    expect(first).toMatchObject({ rows: 10, watermark: '2024-01-01 10:00:00+00' })

    await serverQuery(
      server,
      `INSERT INTO read_events VALUES (11, '2024-01-01 11:00:00+00', 'new'),
         (12, '2024-01-01 09:30:00+00', 'late')`,
    )
    const second = await read({
      source,
      incremental: { column: 'at', after: first.watermark ?? null, lookback: '1 hour' },
    }).outcome
    // After 09:00 (the mark less the look-back): 09:30 is the late arrival, 10:00 is re-read, and
    // 11:00 is new.
    expect(second).toMatchObject({ rows: 3, watermark: '2024-01-01 11:00:00+00' })

    const none = await read({
      source,
      incremental: { column: 'at', after: second.watermark ?? null, lookback: '' },
    }).outcome
    expect(none).toMatchObject({ rows: 0, watermark: '2024-01-01 11:00:00+00' })

    const byId = await read({
      source,
      incremental: { column: 'id', after: "8' OR '1'='1", lookback: '' },
    }).outcome.catch((thrown: unknown) => thrown)
    // A hostile watermark is a value, never SQL: here it is simply not an integer.
    expect(String((byId as Error).message)).toMatch(/invalid input syntax for type integer/)
    const ids = await read({ source, incremental: { column: 'id', after: '8', lookback: '2' } })
      .outcome
    expect(ids).toMatchObject({ rows: 6, watermark: '12' })
  })

  it('names the node and the table when the server refuses the read', async () => {
    const error = await failureOf(
      read({ source: { schema: 'public', table: 'read_types' }, where: 'no_such_column > 1' })
        .outcome,
    )
    expect(error.code).toBe('SOURCE_READ_FAILED')
    expect(error.message).toContain('"pg_node"')
    expect(error.message).toContain('public.read_types')
    expect(error.message).toContain('no_such_column')
    const hostile = await failureOf(
      read({ source: { schema: 'public', table: 'x"; DROP TABLE read_types; --' } }).outcome,
    )
    expect(hostile.code).toBe('SOURCE_READ_FAILED')
    expect(hostile.message).toContain('does not exist')
    expect(await serverQuery(server, 'SELECT count(*)::int AS n FROM read_types')).toEqual([
      { n: 4 },
    ])
  })

  it('streams a million rows with progress, and stops the server when cancelled', async () => {
    const source = {
      query: `SELECT g AS id, 'customer ' || (g % 1000) AS name, g * 0.01 AS amount,
              timestamp '2024-01-01' + g * interval '1 second' AS at FROM generate_series(1, 1000000) g`,
    }
    const started = performance.now()
    const { outcome, activity } = read({ source })
    expect((await outcome).rows).toBe(1_000_000)
    const seconds = (performance.now() - started) / 1000
    console.log(`read 1,000,000 rows in ${seconds.toFixed(2)} s`)
    expect(activity.progressed.some((update) => (update.bytes ?? 0) > 0)).toBe(true)
    expect(await sandbox.rows('SELECT sum(id)::VARCHAR AS total FROM read_out')).toEqual([
      { total: '500000500000' },
    ])

    const slow = read({
      source: { query: 'SELECT g FROM generate_series(1, 100000000) g' },
      target: '"read_cancelled"',
    })
    setTimeout(() => slow.activity.controller.abort(), 500)
    const cancelStarted = Date.now()
    const error = await failureOf(slow.outcome)
    expect(error.code).toBe('CANCELLED')
    expect(Date.now() - cancelStarted).toBeLessThan(5000)
    const running = await serverQuery(
      server,
      `SELECT count(*)::int AS n FROM pg_stat_activity
       WHERE application_name = 'Sluice' AND query LIKE '%100000000%' AND state = 'active'`,
    )
    expect(running).toEqual([{ n: 0 }])
  })

  /** Sluice's sessions on the server, waiting up to two seconds for closing ones to go. */
  const sluiceSessions = async (): Promise<number> => {
    let count = -1
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const [row] = await serverQuery<{ n: number }>(
        server,
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'Sluice'`,
      )
      count = row?.n ?? -1
      if (count === 0) {
        return 0
      }
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    return count
  }

  it('cancels a read still being planned, here waiting for a lock another session holds', async () => {
    await serverQuery(
      server,
      `DROP TABLE IF EXISTS read_locked; CREATE TABLE read_locked (id int);
       INSERT INTO read_locked VALUES (1)`,
    )
    const holder = new pg.Client({ ...server, ssl: false })
    await holder.connect()
    try {
      await holder.query('BEGIN')
      await holder.query('LOCK TABLE read_locked IN ACCESS EXCLUSIVE MODE')
      const blocked = read({
        source: { schema: 'public', table: 'read_locked' },
        target: '"read_locked_out"',
      })
      // The LIMIT 0 probe that describes the columns is what waits.
      for (let attempt = 0; attempt < 100; attempt += 1) {
        const [row] = await serverQuery<{ n: number }>(
          server,
          `SELECT count(*)::int AS n FROM pg_stat_activity
           WHERE application_name = 'Sluice' AND wait_event_type = 'Lock' AND query LIKE '%LIMIT 0'`,
        )
        if (row?.n === 1) {
          break
        }
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      const started = Date.now()
      blocked.activity.controller.abort()
      const tooSlow = new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('the read went on after cancel')), 5000),
      )
      const error = await failureOf(Promise.race([blocked.outcome, tooSlow]))
      expect(error.code).toBe('CANCELLED')
      expect(Date.now() - started).toBeLessThan(3000)
      expect(await sluiceSessions()).toBe(0)
    } finally {
      await holder.query('ROLLBACK')
      await holder.end()
    }
  })

  it('leaves no connection open when the work folder cannot be made', async () => {
    const blocker = join(sandbox.dir, 'not-a-folder')
    writeFileSync(blocker, '')
    const error = await failureOf(
      read({ source: { schema: 'public', table: 'read_types' }, workDir: join(blocker, 'work') })
        .outcome,
    )
    expect(error.code).toBe('SOURCE_READ_FAILED')
    expect(await sluiceSessions()).toBe(0)
  })
})
