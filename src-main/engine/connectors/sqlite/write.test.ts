import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WriteRequest } from '../database/contract'
import { sqliteDriver } from './index'
import { createFileDatabaseFixture, type FileDatabaseFixture } from './test-fixture'

let fixture: FileDatabaseFixture
let files = 0

beforeAll(async () => {
  fixture = await createFileDatabaseFixture()
})

afterAll(() => fixture.close())

/** A fresh SQLite file, set up by `sql`. */
function sqliteFile(sql = ''): string {
  files += 1
  const file = join(fixture.dir, `target-${files}.sqlite`)
  const database = new Database(file)
  database.exec(sql)
  database.close()
  return file
}

function tableRows(file: string, sql: string): unknown[] {
  const database = new Database(file, { readonly: true })
  try {
    return database.prepare(sql).all()
  } finally {
    database.close()
  }
}

function digest(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex')
}

const people = (suffix = '') =>
  fixture.input(
    'people',
    `SELECT * FROM (VALUES (1, 'Ann${suffix}', 10.5), (2, 'Bo', NULL), (3, 'Cy', 3.0)) v(id, name, score)`,
  )

async function write(file: string, input: WriteRequest['input'], options: Partial<WriteRequest>) {
  return sqliteDriver.write(
    fixture.writeRequest(fixture.connection(file, 'sqlite'), input, {
      table: 'people',
      ...options,
    }),
  )
}

describe('sqlite write: types', () => {
  it('creates a table from DuckDB types and reads every value back the same', async () => {
    const file = sqliteFile()
    const input = await fixture.input(
      'types',
      `SELECT * FROM (VALUES
        (1, true, 9223372036854775807::BIGINT, 1.5::DOUBLE, 1234567890.1234::DECIMAL(18,4),
         'Åsa 🚀 "quoted" -- not sql', DATE '2024-02-29', TIMESTAMP '2024-02-29 23:59:59.123456',
         TIMESTAMPTZ '2024-02-29 23:00:00+02', '\\x00\\xFF'::BLOB, [1, 2], repeat('long ', 50000)),
        (2, NULL, (-9223372036854775808)::BIGINT, -1e308::DOUBLE, NULL, '', NULL, NULL, NULL, ''::BLOB, NULL, NULL),
        (3, false, NULL, NULL, -0.0001, NULL, DATE '0001-01-01', TIMESTAMP '1970-01-01', NULL, NULL, [], '')
      ) v(id, flag, big, real, exact, text, day, stamp, stamp_utc, bytes, list, long)`,
    )
    const outcome = await write(file, input, { table: 'types', mode: 'create' })
    expect(outcome).toMatchObject({ inserted: 3, updated: 0, deleted: 0 })
    expect(outcome.ddl).toEqual([
      'CREATE TABLE main."types" ("id" INTEGER, "flag" BOOLEAN, "big" INTEGER, "real" REAL, "exact" DECIMAL(18,4), "text" TEXT, "day" DATE, "stamp" TIMESTAMP, "stamp_utc" TIMESTAMPTZ, "bytes" BLOB, "list" TEXT, "long" TEXT)',
    ])
    const read = fixture.readRequest(fixture.connection(file, 'sqlite'), {
      schema: '',
      table: 'types',
    })
    expect(await sqliteDriver.read(read)).toMatchObject({ rows: 3, warnings: [] })
    const back = await fixture.rows(
      `SELECT id, flag, big::VARCHAR AS big, real, exact::VARCHAR AS exact, text, day::VARCHAR AS day,
         stamp::VARCHAR AS stamp, epoch(stamp_utc) AS stamp_utc, hex(bytes) AS bytes, list, length(long) AS long
       FROM ${read.target} ORDER BY id`,
    )
    expect(back).toEqual([
      {
        id: 1,
        flag: true,
        big: '9223372036854775807',
        real: 1.5,
        exact: '1234567890.1234',
        text: 'Åsa 🚀 "quoted" -- not sql',
        day: '2024-02-29',
        stamp: '2024-02-29 23:59:59.123456',
        stamp_utc: 1709240400,
        bytes: '00FF',
        list: '[1,2]',
        long: 250000,
      },
      {
        id: 2,
        flag: null,
        big: '-9223372036854775808',
        real: -1e308,
        exact: null,
        text: '',
        day: null,
        stamp: null,
        stamp_utc: null,
        bytes: '',
        list: null,
        long: null,
      },
      {
        id: 3,
        flag: false,
        big: null,
        real: null,
        exact: '-0.0001',
        text: null,
        day: '0001-01-01',
        stamp: '1970-01-01 00:00:00',
        stamp_utc: null,
        bytes: null,
        list: '[]',
        long: 0,
      },
    ])
  })
})

describe('sqlite write: modes, each run twice', () => {
  const existing = `CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL, score REAL, note TEXT DEFAULT 'kept');
    INSERT INTO people (id, name, score) VALUES (1, 'Ann', 10.5), (4, 'Dee', 1)`

  it('create, then refuses to create again', async () => {
    const file = sqliteFile()
    expect(await write(file, await people(), { mode: 'create' })).toMatchObject({ inserted: 3 })
    await expect(write(file, await people(), { mode: 'create' })).rejects.toMatchObject({
      error: { code: 'PUSH_FAILED', message: expect.stringContaining('already exists') },
    })
    expect(tableRows(file, 'SELECT count(*) AS n FROM people')).toEqual([{ n: 3 }])
  })

  it('append adds the rows each time', async () => {
    const file = sqliteFile(`CREATE TABLE PEOPLE (id INTEGER, name TEXT, score REAL)`)
    expect(await write(file, await people(), { mode: 'append' })).toMatchObject({ inserted: 3 })
    expect(await write(file, await people(), { mode: 'append' })).toMatchObject({ inserted: 3 })
    expect(tableRows(file, 'SELECT count(*) AS n FROM people')).toEqual([{ n: 6 }])
  })

  it('truncate empties the table and inserts', async () => {
    const file = sqliteFile(existing)
    const first = await write(file, await people(), { mode: 'truncate' })
    expect(first).toMatchObject({ inserted: 3, deleted: 2 })
    expect(await write(file, await people(), { mode: 'truncate' })).toMatchObject({
      inserted: 3,
      deleted: 3,
    })
    expect(tableRows(file, 'SELECT id, note FROM people ORDER BY id')).toEqual([
      { id: 1, note: 'kept' },
      { id: 2, note: 'kept' },
      { id: 3, note: 'kept' },
    ])
  })

  it('replace builds a new table and swaps it in', async () => {
    const file = sqliteFile(`${existing}; CREATE INDEX people_name ON people (name)`)
    const first = await write(file, await people(), { mode: 'replace' })
    expect(first).toMatchObject({ inserted: 3, deleted: 2 })
    expect(first.ddl[0]).toMatch(
      /^CREATE TABLE main\."sluice_replace_\w+" \("id" INTEGER, "name" TEXT, "score" DECIMAL\(3,1\)\)$/,
    )
    expect(first.ddl.slice(1)).toEqual([
      'DROP TABLE main."people"',
      expect.stringMatching(/^ALTER TABLE main\."sluice_replace_\w+" RENAME TO "people"$/),
    ])
    expect(first.warnings).toEqual([
      'Replacing table "people" dropped its index "people_name"; the new table has only the input\'s columns.',
    ])
    expect(await write(file, await people(), { mode: 'replace' })).toMatchObject({
      inserted: 3,
      deleted: 3,
    })
    expect(tableRows(file, 'SELECT * FROM people ORDER BY id')).toEqual([
      { id: 1, name: 'Ann', score: 10.5 },
      { id: 2, name: 'Bo', score: null },
      { id: 3, name: 'Cy', score: 3 },
    ])
  })

  it('upsert inserts and updates, and a second identical run changes nothing', async () => {
    const file = sqliteFile(existing)
    const first = await write(file, await people('!'), { mode: 'upsert', keys: ['id'] })
    expect(first).toMatchObject({ inserted: 2, updated: 1, deleted: 0 })
    const second = await write(file, await people('!'), { mode: 'upsert', keys: ['id'] })
    expect(second).toMatchObject({ inserted: 0, updated: 0, deleted: 0 })
    expect(tableRows(file, 'SELECT id, name, score, note FROM people ORDER BY id')).toEqual([
      { id: 1, name: 'Ann!', score: 10.5, note: 'kept' },
      { id: 2, name: 'Bo', score: null, note: 'kept' },
      { id: 3, name: 'Cy', score: 3, note: 'kept' },
      { id: 4, name: 'Dee', score: 1, note: 'kept' },
    ])
  })

  it('mirror also deletes rows missing from the input, then changes nothing', async () => {
    const file = sqliteFile(existing)
    const first = await write(file, await people(), { mode: 'mirror', keys: ['ID'] })
    expect(first).toMatchObject({ inserted: 2, updated: 0, deleted: 1 })
    const second = await write(file, await people(), { mode: 'mirror', keys: ['id'] })
    expect(second).toMatchObject({ inserted: 0, updated: 0, deleted: 0 })
    expect(tableRows(file, 'SELECT id FROM people ORDER BY id')).toEqual([
      { id: 1 },
      { id: 2 },
      { id: 3 },
    ])
  })

  it('creates a missing table for upsert with a unique key, and refuses duplicate input keys', async () => {
    const file = sqliteFile()
    expect(await write(file, await people(), { mode: 'upsert', keys: ['id'] })).toMatchObject({
      inserted: 3,
    })
    expect(await write(file, await people(), { mode: 'upsert', keys: ['id'] })).toMatchObject({
      inserted: 0,
      updated: 0,
    })
    const twice = await fixture.input(
      'twice',
      `SELECT * FROM (VALUES (1, 'a'), (1, 'b')) v(id, name)`,
    )
    await expect(write(file, twice, { mode: 'upsert', keys: ['id'] })).rejects.toMatchObject({
      error: { message: expect.stringContaining('the input has 2 rows with the key id = 1') },
    })
  })

  it('runs pre- and post-SQL inside the transaction', async () => {
    const file = sqliteFile(existing)
    await write(file, await people(), {
      mode: 'append',
      table: 'people',
      preSql: 'DELETE FROM people',
      postSql: "UPDATE people SET note = 'post'",
    })
    expect(tableRows(file, 'SELECT DISTINCT note FROM people')).toEqual([{ note: 'post' }])
    const before = digest(file)
    await expect(
      write(file, await people(), { mode: 'truncate', postSql: 'SELECT * FROM nowhere' }),
    ).rejects.toMatchObject({
      error: {
        code: 'PUSH_FAILED',
        message:
          'Node "node1" could not write table main.people: the post-SQL failed: no such table: nowhere.',
      },
    })
    expect(digest(file)).toBe(before)
  })

  it('refuses a hook that ends the transaction', async () => {
    const file = sqliteFile(existing)
    const before = digest(file)
    await expect(
      write(file, await people(), { mode: 'truncate', table: 'people', preSql: 'COMMIT' }),
    ).rejects.toMatchObject({
      error: {
        code: 'PUSH_FAILED',
        message: expect.stringContaining("ended the push's transaction"),
      },
    })
    expect(digest(file)).toBe(before)
  })
})

describe('sqlite write: dry run, mismatch, faults', () => {
  it('a dry run reports counts, samples and DDL, and leaves the file as it was', async () => {
    const file = sqliteFile(
      `CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT, score REAL);
       INSERT INTO people VALUES (1, 'Ann', 10.5), (4, 'Dee', 1)`,
    )
    const before = digest(file)
    const mirror = await write(file, await people('!'), {
      mode: 'mirror',
      keys: ['id'],
      dryRun: true,
    })
    expect(mirror).toMatchObject({ inserted: 2, updated: 1, deleted: 1, ddl: [] })
    expect(mirror.samples).toEqual({
      insert: [
        { id: 2, name: 'Bo', score: null },
        { id: 3, name: 'Cy', score: 3 },
      ],
      update: [{ id: 1, name: 'Ann!', score: 10.5 }],
      delete: [{ id: 4, name: 'Dee', score: 1 }],
    })
    const created = await write(file, await people(), {
      table: 'fresh',
      mode: 'create',
      dryRun: true,
    })
    expect(created).toMatchObject({
      inserted: 3,
      ddl: [
        'CREATE TABLE main."fresh" ("id" INTEGER, "name" VARCHAR, "score" DECIMAL(3,1))'.replace(
          'VARCHAR',
          'TEXT',
        ),
      ],
    })
    expect(created.samples?.insert).toHaveLength(3)
    const truncated = await write(file, await people(), { mode: 'truncate', dryRun: true })
    expect(truncated).toMatchObject({ inserted: 3, deleted: 2 })
    expect(truncated.samples?.delete).toEqual([
      { id: 1, name: 'Ann', score: 10.5 },
      { id: 4, name: 'Dee', score: 1 },
    ])
    expect(digest(file)).toBe(before)
    const missing = join(fixture.dir, 'never-created.sqlite')
    await write(missing, await people(), { mode: 'create', dryRun: true })
    expect(() => readFileSync(missing)).toThrow()
  })

  it('lists every missing, extra and incompatible column in one error', async () => {
    const file = sqliteFile(
      `CREATE TABLE people (id INTEGER, name TEXT, score INTEGER, born DATE NOT NULL, code TEXT NOT NULL DEFAULT 'x')`,
    )
    const input = await fixture.input(
      'mismatch',
      `SELECT 1 AS id, 'a' AS name, 'high' AS score, 1 AS shoe, 2 AS hat`,
    )
    await expect(write(file, input, { mode: 'append' })).rejects.toMatchObject({
      error: {
        code: 'PUSH_SCHEMA_MISMATCH',
        message:
          'Node "node1": the input does not fit table main.people. Column "score" is INTEGER in the table but VARCHAR in the input; the table has no column "shoe"; the table has no column "hat"; the input has no column "born", which the table requires (NOT NULL without a default). Nothing was written.',
      },
    })
  })

  it('a unique violation at a late row leaves the table unchanged and names the row', async () => {
    const file = sqliteFile(
      `CREATE TABLE n (i INTEGER UNIQUE, label TEXT CHECK (label <> 'bad')); INSERT INTO n VALUES (-1, 'old')`,
    )
    const before = digest(file)
    const input = await fixture.input(
      'late',
      `SELECT CASE WHEN i = 9000 THEN 5 ELSE i END AS i, 'ok' AS label FROM range(10000) r(i)`,
    )
    const failure = await write(file, input, { table: 'n', mode: 'append' }).catch((e) => e)
    expect(failure.error).toMatchObject({
      code: 'PUSH_FAILED',
      nodeId: 'node1',
      message:
        'Node "node1" could not write table main.n: input row 9001: UNIQUE constraint failed: n.i.',
    })
    const checked = await fixture.input(
      'check',
      `SELECT i, CASE WHEN i = 7777 THEN 'bad' ELSE 'ok' END AS label FROM range(10000) r(i)`,
    )
    const check = await write(file, checked, { table: 'n', mode: 'truncate' }).catch((e) => e)
    expect(check.error.message).toContain('input row 7778: CHECK constraint failed')
    expect(digest(file)).toBe(before)
    expect(tableRows(file, 'SELECT * FROM n')).toEqual([{ i: -1, label: 'old' }])
  })

  it('a constraint failure while merging names the input row and leaves the table unchanged', async () => {
    const file = sqliteFile(
      `CREATE TABLE u (id INTEGER PRIMARY KEY, email TEXT UNIQUE, name TEXT NOT NULL);
       INSERT INTO u VALUES (1, 'taken@x', 'old')`,
    )
    const before = digest(file)
    const taken = await fixture.input(
      'taken',
      `SELECT i + 2 AS id, CASE WHEN i = 8000 THEN 'taken@x' ELSE 'u' || i END AS email, 'n' AS name FROM range(10000) r(i)`,
    )
    const unique = await write(file, taken, { table: 'u', mode: 'upsert', keys: ['id'] }).catch(
      (e) => e,
    )
    expect(unique.error.message).toBe(
      'Node "node1" could not write table main.u: input row 8001, column "email": UNIQUE constraint failed: u.email.',
    )
    const nulls = await fixture.input(
      'nulls',
      `SELECT i AS id, 'e' || i AS email, CASE WHEN i = 6000 THEN NULL ELSE 'n' END AS name FROM range(10000) r(i)`,
    )
    const notNull = await write(file, nulls, { table: 'u', mode: 'mirror', keys: ['id'] }).catch(
      (e) => e,
    )
    expect(notNull.error.message).toBe(
      'Node "node1" could not write table main.u: input row 6001, column "name": NOT NULL constraint failed: u.name.',
    )
    expect(digest(file)).toBe(before)
  })

  it('a cancel while pushing leaves the table unchanged', async () => {
    const file = sqliteFile(`CREATE TABLE n (i INTEGER); INSERT INTO n VALUES (42)`)
    const before = digest(file)
    const input = await fixture.input('many', `SELECT i FROM range(50000) r(i)`)
    const controller = new AbortController()
    const request = fixture.writeRequest(fixture.connection(file, 'sqlite'), input, {
      table: 'n',
      mode: 'replace',
      signal: controller.signal,
      progress: () => controller.abort(),
    })
    await expect(sqliteDriver.write(request)).rejects.toMatchObject({
      error: { code: 'CANCELLED' },
    })
    expect(digest(file)).toBe(before)
    expect(tableRows(file, 'SELECT * FROM n')).toEqual([{ i: 42 }])
  })

  it('quotes hostile table and column names, and refuses unusable ones', async () => {
    const file = sqliteFile()
    const table = 'x"; DROP TABLE people; --'
    const input = await fixture.input(
      'hostile',
      `SELECT 1 AS "we""ird -- col", 'ü' AS "Ünïcödé", 2 AS "${'long'.repeat(40)}"`,
    )
    expect(await write(file, input, { table, mode: 'create' })).toMatchObject({ inserted: 1 })
    expect(tableRows(file, `SELECT * FROM "x""; DROP TABLE people; --"`)).toEqual([
      { 'we"ird -- col': 1, Ünïcödé: 'ü', ['long'.repeat(40)]: 2 },
    ])
    // DuckDB itself renames such columns, so this input is described by hand.
    const collide = {
      ref: input.ref,
      columns: [
        { name: 'Name', type: 'INTEGER' },
        { name: 'name', type: 'INTEGER' },
      ],
    }
    await expect(write(file, collide, { table: 'c', mode: 'create' })).rejects.toMatchObject({
      error: { code: 'BAD_IDENTIFIER', message: expect.stringContaining('"Name", "name"') },
    })
    await expect(
      write(file, input, { table: 'bad\u0000name', mode: 'create' }),
    ).rejects.toMatchObject({
      error: { code: 'BAD_IDENTIFIER', message: expect.stringContaining('control character') },
    })
    expect(tableRows(file, `SELECT name FROM sqlite_schema`)).toEqual([{ name: table }])
  })
})
