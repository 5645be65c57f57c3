import { createHash } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WriteRequest } from '../database/contract'
import { createFileDatabaseFixture, type FileDatabaseFixture } from '../sqlite/test-fixture'
import { duckdbFileDriver } from './index'

let fixture: FileDatabaseFixture
let files = 0

beforeAll(async () => {
  fixture = await createFileDatabaseFixture()
})

afterAll(() => fixture.close())

/** A fresh DuckDB file set up by `sql`, written by its own instance and closed. */
async function duckdbFile(sql = ''): Promise<string> {
  files += 1
  const file = join(fixture.dir, `target-${files}.duckdb`)
  const instance = await DuckDBInstance.create(file)
  const connection = await instance.connect()
  if (sql !== '') {
    await connection.run(sql)
  }
  connection.closeSync()
  instance.closeSync()
  return file
}

/** Rows of a file, read through a separate instance so nothing stays attached. */
async function fileRows(file: string, sql: string): Promise<Array<Record<string, unknown>>> {
  const instance = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' })
  const connection = await instance.connect()
  try {
    const reader = await connection.runAndReadAll(sql)
    return reader.getRowObjectsJson() as Array<Record<string, unknown>>
  } finally {
    connection.closeSync()
    instance.closeSync()
  }
}

function digest(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex')
}

const connection = (file: string) => fixture.connection(file, 'duckdb')

const people = (suffix = '') =>
  fixture.input(
    'people',
    `SELECT * FROM (VALUES (1, 'Ann${suffix}', 10.5), (2, 'Bo', NULL), (3, 'Cy', 3.0)) v(id, name, score)`,
  )

function write(file: string, input: WriteRequest['input'], options: Partial<WriteRequest>) {
  return duckdbFileDriver.write(
    fixture.writeRequest(connection(file), input, { table: 'people', ...options }),
  )
}

const existing = `CREATE TABLE people (id INTEGER PRIMARY KEY, name VARCHAR NOT NULL, score DOUBLE, note VARCHAR DEFAULT 'kept');
  INSERT INTO people (id, name, score) VALUES (1, 'Ann', 10.5), (4, 'Dee', 1)`

describe('duckdb file: test, browse, read', () => {
  it('tests a file, names a missing one and refuses one that is not DuckDB', async () => {
    const file = await duckdbFile(existing)
    expect((await duckdbFileDriver.test(connection(file))).serverVersion).toMatch(/^DuckDB v1\./)
    const missing = join(fixture.dir, 'missing.duckdb')
    await expect(duckdbFileDriver.test(connection(missing))).rejects.toMatchObject({
      error: { code: 'FILE_NOT_FOUND', message: `File not found: ${missing}.` },
    })
    const junk = join(fixture.dir, 'junk.duckdb')
    writeFileSync(junk, 'SQLite format 3\u0000'.padEnd(4096, 'x'))
    await expect(duckdbFileDriver.test(connection(junk))).rejects.toMatchObject({
      error: {
        code: 'CONNECTION_FAILED',
        message: `Cannot connect to "local": ${junk} is not a DuckDB database.`,
      },
    })
  })

  it('browses schemas, tables with estimates, views and columns', async () => {
    const file = await duckdbFile(
      `${existing}; CREATE SCHEMA sales; CREATE TABLE sales.orders (id BIGINT, amount DECIMAL(12,2) NOT NULL);
       CREATE VIEW rich AS SELECT * FROM people WHERE score > 5`,
    )
    expect(await duckdbFileDriver.browse(connection(file), {})).toEqual([
      { type: 'schema', name: 'main' },
      { type: 'schema', name: 'sales' },
    ])
    expect(await duckdbFileDriver.browse(connection(file), { schema: 'main' })).toEqual([
      { type: 'table', schema: 'main', name: 'people', view: false, estimatedRows: 2 },
      { type: 'table', schema: 'main', name: 'rich', view: true, estimatedRows: null },
    ])
    expect(
      await duckdbFileDriver.browse(connection(file), { schema: 'main', table: 'people' }),
    ).toEqual([
      {
        type: 'column',
        name: 'id',
        serverType: 'INTEGER',
        duckdbType: 'INTEGER',
        nullable: false,
        primaryKey: true,
      },
      {
        type: 'column',
        name: 'name',
        serverType: 'VARCHAR',
        duckdbType: 'VARCHAR',
        nullable: false,
        primaryKey: false,
      },
      {
        type: 'column',
        name: 'score',
        serverType: 'DOUBLE',
        duckdbType: 'DOUBLE',
        nullable: true,
        primaryKey: false,
      },
      {
        type: 'column',
        name: 'note',
        serverType: 'VARCHAR',
        duckdbType: 'VARCHAR',
        nullable: true,
        primaryKey: false,
      },
    ])
    const orders = await duckdbFileDriver.browse(connection(file), {
      schema: 'sales',
      table: 'orders',
    })
    expect(orders[1]).toMatchObject({ serverType: 'DECIMAL(12,2)', nullable: false })
  })

  it('reads tables and queries with columns, WHERE and incremental marks', async () => {
    const file = await duckdbFile(
      `CREATE TABLE events AS SELECT i AS id, TIMESTAMP '2024-01-01' + i * INTERVAL 1 hour AS ts, 'e' || i AS label FROM range(10) r(i)`,
    )
    const table = fixture.readRequest(
      connection(file),
      { schema: '', table: 'events' },
      {
        columns: ['id', 'label'],
        where: 'id % 2 = 0',
      },
    )
    expect(await duckdbFileDriver.read(table)).toEqual({ rows: 5, warnings: [] })
    expect(await fixture.rows(`SELECT * FROM ${table.target} ORDER BY id LIMIT 2`)).toEqual([
      { id: 0, label: 'e0' },
      { id: 2, label: 'e2' },
    ])
    const query = fixture.readRequest(connection(file), {
      query: 'SELECT count(*) AS n, max(ts) AS last FROM events;',
    })
    expect((await duckdbFileDriver.read(query)).rows).toBe(1)
    expect(await fixture.rows(`SELECT n, last::VARCHAR AS last FROM ${query.target}`)).toEqual([
      { n: 10, last: '2024-01-01 09:00:00' },
    ])
    const first = fixture.readRequest(
      connection(file),
      { schema: 'main', table: 'events' },
      {
        incremental: { column: 'ts', after: null, lookback: '' },
      },
    )
    expect(await duckdbFileDriver.read(first)).toMatchObject({
      rows: 10,
      watermark: '2024-01-01 09:00:00',
    })
    const next = fixture.readRequest(
      connection(file),
      { schema: 'main', table: 'events' },
      {
        columns: ['label'],
        incremental: { column: 'ts', after: '2024-01-01 07:00:00', lookback: '2 hours' },
      },
    )
    expect(await duckdbFileDriver.read(next)).toMatchObject({
      rows: 4,
      watermark: '2024-01-01 09:00:00',
    })
    const behind = fixture.readRequest(
      connection(file),
      { schema: 'main', table: 'events' },
      { incremental: { column: 'ts', after: '2024-01-01 09:30:00', lookback: '2 hours' } },
    )
    // Rows of the look-back window are read again, and the mark does not go back.
    expect(await duckdbFileDriver.read(behind)).toMatchObject({
      rows: 2,
      watermark: '2024-01-01 09:30:00',
    })
    const byId = fixture.readRequest(
      connection(file),
      { schema: '', table: 'events' },
      {
        incremental: { column: 'id', after: '9', lookback: '' },
      },
    )
    expect(await duckdbFileDriver.read(byId)).toMatchObject({ rows: 0, watermark: '9' })
    const bad = fixture.readRequest(connection(file), { schema: '', table: 'nope' })
    await expect(duckdbFileDriver.read(bad)).rejects.toMatchObject({
      error: { code: 'SOURCE_READ_FAILED', message: expect.stringContaining('nope') },
    })
    // Nothing stays attached, and the current catalog is the staging one again.
    expect(
      await fixture.rows(
        `SELECT database_name FROM duckdb_databases() WHERE database_name LIKE 'sluice_file_%'`,
      ),
    ).toEqual([])
    expect(await fixture.rows('SELECT current_database() AS d')).toEqual([{ d: 'memory' }])
  })
})

describe('duckdb file: push modes, each run twice', () => {
  it('creates a missing file and table with the input types', async () => {
    const file = join(fixture.dir, 'new.duckdb')
    const input = await fixture.input(
      'types',
      `SELECT * FROM (VALUES
        (1, true, (-9223372036854775808)::BIGINT, 'Åsa 🚀 "q" -- x', DATE '2024-02-29', TIMESTAMPTZ '2024-02-29 23:00:00+02', '\\x00\\xFF'::BLOB, [1, 2], {'a': 1}, 123456789012345678.1234::DECIMAL(22,4), repeat('z', 100000)),
        (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)
      ) v(id, flag, big, text, day, stamp, bytes, list, struct, exact, long)`,
    )
    const outcome = await write(file, input, { table: 'types', mode: 'create' })
    expect(outcome).toMatchObject({ inserted: 2, written: 'duckdb "local".main.types' })
    expect(outcome.ddl[0]).toContain('"list" INTEGER[], "struct" STRUCT(a INTEGER)')
    const read = fixture.readRequest(connection(file), { schema: '', table: 'types' })
    await duckdbFileDriver.read(read)
    const same = await fixture.rows(
      `SELECT count(*) AS n FROM (SELECT * FROM ${read.target} EXCEPT SELECT * FROM types)`,
    )
    expect(same).toEqual([{ n: 0 }])
    expect(await fixture.rows(`SELECT count(*) AS n FROM ${read.target}`)).toEqual([{ n: 2 }])
  })

  it('append, truncate and replace', async () => {
    const file = await duckdbFile(existing)
    expect(await write(file, await people(), { table: 'other', mode: 'append' })).toMatchObject({
      inserted: 3,
    })
    expect(await write(file, await people(), { table: 'other', mode: 'append' })).toMatchObject({
      inserted: 3,
    })
    expect(await fileRows(file, 'SELECT count(*)::INTEGER AS n FROM other')).toEqual([{ n: 6 }])
    expect(await write(file, await people(), { mode: 'truncate' })).toMatchObject({
      inserted: 3,
      deleted: 2,
    })
    expect(await write(file, await people(), { mode: 'truncate' })).toMatchObject({
      inserted: 3,
      deleted: 3,
    })
    expect(await fileRows(file, 'SELECT id, note FROM people ORDER BY id')).toEqual([
      { id: 1, note: 'kept' },
      { id: 2, note: 'kept' },
      { id: 3, note: 'kept' },
    ])
    const replaced = await write(file, await people(), { mode: 'replace' })
    expect(replaced).toMatchObject({ inserted: 3, deleted: 3 })
    expect(replaced.ddl).toHaveLength(3)
    expect(await write(file, await people(), { mode: 'replace' })).toMatchObject({
      inserted: 3,
      deleted: 3,
    })
    expect(
      await fileRows(file, "SELECT column_name FROM duckdb_columns() WHERE table_name = 'people'"),
    ).toEqual([{ column_name: 'id' }, { column_name: 'name' }, { column_name: 'score' }])
    await expect(write(file, await people(), { mode: 'create' })).rejects.toMatchObject({
      error: { code: 'PUSH_FAILED', message: expect.stringContaining('already exists') },
    })
  })

  it('upsert and mirror, and the second identical run changes nothing', async () => {
    const file = await duckdbFile(existing)
    expect(await write(file, await people('!'), { mode: 'upsert', keys: ['id'] })).toMatchObject({
      inserted: 2,
      updated: 1,
      deleted: 0,
    })
    expect(await write(file, await people('!'), { mode: 'upsert', keys: ['id'] })).toMatchObject({
      inserted: 0,
      updated: 0,
      deleted: 0,
    })
    expect(await write(file, await people(), { mode: 'mirror', keys: ['ID'] })).toMatchObject({
      inserted: 0,
      updated: 1,
      deleted: 1,
    })
    expect(await write(file, await people(), { mode: 'mirror', keys: ['id'] })).toMatchObject({
      inserted: 0,
      updated: 0,
      deleted: 0,
    })
    expect(await fileRows(file, 'SELECT id, name, note FROM people ORDER BY id')).toEqual([
      { id: 1, name: 'Ann', note: 'kept' },
      { id: 2, name: 'Bo', note: 'kept' },
      { id: 3, name: 'Cy', note: 'kept' },
    ])
    const twice = await fixture.input(
      'twice',
      `SELECT * FROM (VALUES (1, 'a'), (1, 'b')) v(id, name)`,
    )
    await expect(write(file, twice, { mode: 'upsert', keys: ['id'] })).rejects.toMatchObject({
      error: { message: expect.stringContaining('the input has 2 rows with the key id = 1') },
    })
  })

  it('runs pre- and post-SQL on the file inside the transaction', async () => {
    const file = await duckdbFile(existing)
    await write(file, await people(), {
      mode: 'append',
      table: 'log',
      preSql: "CREATE TABLE audit (step VARCHAR); INSERT INTO audit VALUES ('before')",
      postSql: "INSERT INTO audit VALUES ('after')",
    })
    expect(await fileRows(file, 'SELECT step FROM audit ORDER BY step DESC')).toEqual([
      { step: 'before' },
      { step: 'after' },
    ])
    const before = digest(file)
    await expect(
      write(file, await people(), { mode: 'truncate', postSql: 'SELECT * FROM nowhere' }),
    ).rejects.toMatchObject({
      error: {
        code: 'PUSH_FAILED',
        message: expect.stringMatching(
          /^Node "node1" could not write table main.people: the post-SQL failed: Table with name nowhere does not exist/,
        ),
      },
    })
    expect(digest(file)).toBe(before)
  })
})

describe('duckdb file: hooks that go wrong', () => {
  it('detaches the file after a failed pre-SQL, so the next push works', async () => {
    const file = await duckdbFile(existing)
    await expect(
      write(file, await people(), { mode: 'append', preSql: "SELECT error('boom')" }),
    ).rejects.toMatchObject({ error: { message: expect.stringContaining('the pre-SQL failed') } })
    const staging = fixture.writeRequest(connection(file), await people(), {}).duckdb
    const [current] = (
      await staging.runAndReadAll('SELECT current_database() AS d')
    ).getRowObjects()
    expect(current?.d).not.toMatch(/sluice/)
    await write(file, await people(), { mode: 'truncate' })
    expect(await fileRows(file, 'SELECT count(*)::INT AS n FROM people')).toEqual([{ n: 3 }])
  })

  it('refuses a hook that ends the transaction, before any row is written', async () => {
    const file = await duckdbFile(existing)
    await expect(
      write(file, await people(), { mode: 'truncate', preSql: 'COMMIT' }),
    ).rejects.toMatchObject({
      error: {
        code: 'PUSH_FAILED',
        message: expect.stringContaining("ended the push's transaction"),
      },
    })
    expect(await fileRows(file, 'SELECT id FROM people ORDER BY id')).toEqual([
      { id: 1 },
      { id: 4 },
    ])
  })
})

describe('duckdb file: dry run, mismatch, faults', () => {
  it('a dry run reports counts, samples and DDL and leaves the file byte-identical', async () => {
    const file = await duckdbFile(existing)
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
        { id: 3, name: 'Cy', score: '3.0' },
      ],
      update: [{ id: 1, name: 'Ann!', score: '10.5' }],
      delete: [{ id: 4, name: 'Dee', score: 1, note: 'kept' }],
    })
    const created = await write(file, await people(), {
      table: 'fresh',
      mode: 'create',
      dryRun: true,
    })
    expect(created).toMatchObject({
      inserted: 3,
      ddl: [
        'CREATE TABLE "sluice_file_'.length > 0
          ? expect.stringMatching(
              /^CREATE TABLE "sluice_file_\w+"\."main"\."fresh" \("id" INTEGER, "name" VARCHAR, "score" DECIMAL\(3,1\)\)$/,
            )
          : '',
      ],
    })
    const truncate = await write(file, await people(), { mode: 'truncate', dryRun: true })
    expect(truncate).toMatchObject({ inserted: 3, deleted: 2 })
    expect(truncate.samples?.delete).toHaveLength(2)
    expect(digest(file)).toBe(before)
    const missing = join(fixture.dir, 'dry-new.duckdb')
    await write(missing, await people(), { mode: 'create', dryRun: true })
    expect(existsSync(missing)).toBe(false)
  })

  it('lists every missing, extra and incompatible column in one error', async () => {
    const file = await duckdbFile(
      `CREATE TABLE people (id INTEGER, name VARCHAR, score INTEGER, born DATE NOT NULL, code VARCHAR NOT NULL DEFAULT 'x')`,
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

  it('a unique violation late in the input leaves the table unchanged and names the key', async () => {
    const file = await duckdbFile(
      `CREATE TABLE n (i INTEGER PRIMARY KEY, label VARCHAR NOT NULL); INSERT INTO n VALUES (-1, 'old')`,
    )
    const before = digest(file)
    const input = await fixture.input(
      'late',
      `SELECT CASE WHEN i = 900000 THEN 5 ELSE i END AS i, 'ok' AS label FROM range(1000000) r(i)`,
    )
    const failure = await write(file, input, { table: 'n', mode: 'append' }).catch((e) => e)
    expect(failure.error).toMatchObject({ code: 'PUSH_FAILED', nodeId: 'node1' })
    expect(failure.error.message).toMatch(
      /^Node "node1" could not write table main\.n: input row 900001, column "i": PRIMARY KEY or UNIQUE constraint violation: duplicate key "5"/,
    )
    const nulls = await fixture.input(
      'nulls',
      `SELECT i, CASE WHEN i = 7777 THEN NULL ELSE 'ok' END AS label FROM range(10000) r(i)`,
    )
    const notNull = await write(file, nulls, { table: 'n', mode: 'truncate' }).catch((e) => e)
    expect(notNull.error.message).toBe(
      'Node "node1" could not write table main.n: input row 7778, column "label": NOT NULL constraint failed: n.label.',
    )
    expect(digest(file)).toBe(before)
    expect(await fileRows(file, 'SELECT * FROM n')).toEqual([{ i: -1, label: 'old' }])
  })

  it('a unique violation while merging names the input row', async () => {
    const file = await duckdbFile(
      `CREATE TABLE u (id INTEGER PRIMARY KEY, email VARCHAR UNIQUE); INSERT INTO u VALUES (1, 'taken@x')`,
    )
    const before = digest(file)
    const taken = await fixture.input(
      'taken',
      `SELECT i + 2 AS id, CASE WHEN i = 8000 THEN 'taken@x' ELSE 'u' || i END AS email FROM range(10000) r(i)`,
    )
    const failure = await write(file, taken, { table: 'u', mode: 'upsert', keys: ['id'] }).catch(
      (e) => e,
    )
    expect(failure.error.message).toBe(
      'Node "node1" could not write table main.u: input row 8001, column "email": Duplicate key "email: taken@x" violates unique constraint.',
    )
    expect(digest(file)).toBe(before)
  })

  it('a cancel while pushing leaves the table unchanged', async () => {
    const file = await duckdbFile(`CREATE TABLE n (i INTEGER); INSERT INTO n VALUES (42)`)
    const before = digest(file)
    const input = await fixture.input('many', `SELECT i FROM range(3000000) r(i)`)
    const controller = new AbortController()
    const request = fixture.writeRequest(connection(file), input, {
      table: 'n',
      mode: 'truncate',
      signal: controller.signal,
    })
    const pending = duckdbFileDriver.write(request)
    setTimeout(() => controller.abort(), 5)
    await expect(pending).rejects.toMatchObject({ error: { code: 'CANCELLED' } })
    expect(digest(file)).toBe(before)
    expect(await fileRows(file, 'SELECT * FROM n')).toEqual([{ i: 42 }])
  })

  it('says so when the file is already open in this run', async () => {
    const file = await duckdbFile(existing)
    await fixture.duckdb.run(`ATTACH '${file}' AS held (TYPE DUCKDB, READ_ONLY)`)
    try {
      await expect(write(file, await people(), { mode: 'append' })).rejects.toMatchObject({
        error: {
          code: 'CONNECTION_FAILED',
          message: expect.stringContaining('is already open in this run'),
        },
      })
    } finally {
      await fixture.duckdb.run('DETACH held')
    }
  })

  it('quotes hostile names and refuses unusable ones', async () => {
    const file = await duckdbFile()
    const table = 'x"; DROP TABLE people; --'
    const input = await fixture.input('hostile', `SELECT 1 AS "we""ird -- col", 'ü' AS "Ünïcödé"`)
    expect(
      await write(file, input, { table, schema: 'my "schema"', mode: 'create' }),
    ).toMatchObject({
      inserted: 1,
    })
    expect(
      await fileRows(file, 'SELECT * FROM "my ""schema"""."x""; DROP TABLE people; --"'),
    ).toEqual([{ 'we"ird -- col': 1, Ünïcödé: 'ü' }])
    await expect(write(file, input, { table: 'a\nb', mode: 'create' })).rejects.toMatchObject({
      error: { code: 'BAD_IDENTIFIER', message: expect.stringContaining('control character') },
    })
    const collide = {
      ref: input.ref,
      columns: [
        { name: 'Name', type: 'INTEGER' },
        { name: 'NAME', type: 'INTEGER' },
      ],
    }
    await expect(write(file, collide, { table: 'c', mode: 'create' })).rejects.toMatchObject({
      error: { code: 'BAD_IDENTIFIER' },
    })
  })
})
