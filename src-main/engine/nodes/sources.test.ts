import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { RunResult } from '../../../src-shared/run'
import { chain, createSandbox, type EngineSandbox } from '../test-support'

// JSON, Parquet and folder sources. The CSV source is in source-csv.test.ts.

let sandbox: EngineSandbox
beforeEach(async () => {
  sandbox = await createSandbox()
})
afterEach(() => sandbox.close())

/** Runs one source node `src` of `kind`. */
async function read(kind: string, config: Record<string, unknown>): Promise<RunResult> {
  const { result } = await sandbox.run(chain({ id: 'src', kind, config }))
  return result
}

const staged = (orderBy = '') =>
  sandbox.rows(`SELECT * FROM "src__out"${orderBy ? ` ORDER BY ${orderBy}` : ''}`)

describe('JSON source', () => {
  const people = [
    { id: 1, name: 'Ann', tags: ['a', 'b'], address: { city: 'Oslo' } },
    { id: 2, name: 'Bob', tags: [], address: { city: 'Rome' } },
  ]

  it('reads a JSON array of objects, keeping nested values as lists and structs', async () => {
    const path = sandbox.write('people.json', JSON.stringify(people, null, 2))
    const result = await read('source.json', { path, format: 'array' })
    expect(result.errors).toEqual([])
    expect(result.nodes[0]?.rowsOut).toBe(2)
    expect(await staged('id')).toEqual(people)
    expect(
      await sandbox.rows(
        'SELECT typeof(tags) AS tags, typeof(address) AS address FROM "src__out" LIMIT 1',
      ),
    ).toEqual([{ tags: 'VARCHAR[]', address: 'STRUCT(city VARCHAR)' }])
  })

  it('reads newline-delimited JSON, a missing key becoming NULL', async () => {
    const path = sandbox.write(
      'events.ndjson',
      '{"id":1,"kind":"click"}\n{"id":2,"kind":"view","ms":40}\n{"id":3}\n',
    )
    const result = await read('source.json', { path, format: 'ndjson' })
    expect(result.nodes[0]?.rowsOut).toBe(3)
    expect(await staged('id')).toEqual([
      { id: 1, kind: 'click', ms: null },
      { id: 2, kind: 'view', ms: 40 },
      { id: 3, kind: null, ms: null },
    ])
  })

  it('detects the layout by default', async () => {
    const array = sandbox.write('a.json', JSON.stringify(people))
    expect((await read('source.json', { path: array })).nodes[0]?.rowsOut).toBe(2)
    const lines = sandbox.write('b.json', people.map((row) => JSON.stringify(row)).join('\n'))
    expect((await read('source.json', { path: lines })).nodes[0]?.rowsOut).toBe(2)
  })

  it('reads files that start with a byte-order mark, as Windows tools write them', async () => {
    const bom = '\uFEFF'
    const array = sandbox.write('bom.json', `${bom}${JSON.stringify(people)}`)
    for (const format of ['auto', 'array']) {
      const result = await read('source.json', { path: array, format })
      expect(result.errors).toEqual([])
      expect(await staged('id')).toEqual(people)
    }
    const lines = sandbox.write('bom.ndjson', `${bom}{"id":1}\n{"id":2}\n`)
    for (const format of ['auto', 'ndjson']) {
      const result = await read('source.json', { path: lines, format })
      expect(result.errors).toEqual([])
      expect(await staged('id')).toEqual([{ id: 1 }, { id: 2 }])
    }
  })

  it('keeps a key that first appears after the records DuckDB samples', async () => {
    const records = Array.from({ length: 25_000 }, (_, id) => ({ id }))
    const path = sandbox.write(
      'late.ndjson',
      [...records, { id: 25_000, coupon: 'SPRING' }].map((row) => JSON.stringify(row)).join('\n'),
    )
    const result = await read('source.json', { path })
    expect(result.errors).toEqual([])
    expect(result.nodes[0]?.rowsOut).toBe(25_001)
    expect(await sandbox.rows('SELECT * FROM "src__out" WHERE coupon IS NOT NULL')).toEqual([
      { id: 25_000, coupon: 'SPRING' },
    ])
  })

  it.each([
    ['an empty file', ''],
    ['an empty array', '[ ]'],
  ])('fails on %s instead of staging no rows', async (_label, content) => {
    const path = sandbox.write('empty.json', content)
    const result = await read('source.json', { path })
    expect(result.status).toBe('failed')
    expect(result.errors[0]).toMatchObject({
      code: 'FILE_EMPTY',
      nodeId: 'src',
      message: `${path} is empty.`,
    })
  })

  it('fails naming the node and the file when the JSON is malformed', async () => {
    const path = sandbox.write('broken.json', '[{"id": 1}, {"id": ')
    const result = await read('source.json', { path, format: 'array' })
    expect(result.status).toBe('failed')
    expect(result.errors[0]).toMatchObject({ code: 'FILE_UNREADABLE', nodeId: 'src' })
    expect(result.errors[0]?.message).toMatch(new RegExp(`^Cannot read ${path}: .*[^.]\\.$`))
  })

  it('fails naming a file that does not exist', async () => {
    const result = await read('source.json', { path: 'nowhere.json' })
    expect(result.errors[0]).toMatchObject({
      code: 'FILE_NOT_FOUND',
      nodeId: 'src',
      message: `File not found: ${join(sandbox.dir, 'nowhere.json')}.`,
    })
  })
})

describe('Parquet source', () => {
  it('reads a Parquet file with its stored types', async () => {
    const path = join(sandbox.dir, 'sales.parquet')
    await sandbox.rows(
      `COPY (SELECT i AS id, DATE '2024-01-01' + i::INTEGER AS day, (i * 1.25)::DECIMAL(9,2) AS amount
             FROM range(1, 4) r(i)) TO '${path}' (FORMAT parquet)`,
    )
    const result = await read('source.parquet', { path: 'sales.parquet' })
    expect(result.errors).toEqual([])
    expect(result.nodes[0]?.rowsOut).toBe(3)
    expect(await staged('id')).toEqual([
      { id: 1, day: '2024-01-02', amount: '1.25' },
      { id: 2, day: '2024-01-03', amount: '2.50' },
      { id: 3, day: '2024-01-04', amount: '3.75' },
    ])
    expect(
      await sandbox.rows(
        'SELECT typeof(day) AS day, typeof(amount) AS amount FROM "src__out" LIMIT 1',
      ),
    ).toEqual([{ day: 'DATE', amount: 'DECIMAL(9,2)' }])
  })

  it('fails naming the node and the file when it is not Parquet', async () => {
    const path = sandbox.write('fake.parquet', 'id,amount\n1,2\n')
    const result = await read('source.parquet', { path })
    expect(result.status).toBe('failed')
    expect(result.errors[0]).toMatchObject({ code: 'FILE_UNREADABLE', nodeId: 'src' })
    expect(result.errors[0]?.message).toMatch(new RegExp(`^Cannot read ${path}: `))
  })
})

describe('folder source', () => {
  /** Three monthly CSVs whose columns come in a different order, and a file that must not match. */
  function writeMonths(extension = 'csv', delimiter = ','): Record<string, string> {
    mkdirSync(join(sandbox.dir, 'data'))
    const months = {
      jan: ['id,amount,region', '1,10,EU', '2,20,US'],
      feb: ['region,id,amount', 'EU,3,30'],
      mar: ['amount,region,id', '40,APAC,4', '50,EU,5'],
    }
    const paths: Record<string, string> = {}
    for (const [month, lines] of Object.entries(months)) {
      const text = `${lines.map((line) => line.replaceAll(',', delimiter)).join('\n')}\n`
      paths[month] = sandbox.write(`data/2024-${month}.${extension}`, text)
    }
    sandbox.write('data/readme.txt', 'not data\n')
    return paths
  }

  it('unions every matching file by column name, adding the file each row came from', async () => {
    const paths = writeMonths()
    const result = await read('source.folder', { pattern: 'data/*.csv' })
    expect(result.errors).toEqual([])
    expect(result.nodes[0]?.rowsOut).toBe(5)
    expect(await staged('id')).toEqual([
      { id: 1, amount: 10, region: 'EU', source_file: paths.jan },
      { id: 2, amount: 20, region: 'US', source_file: paths.jan },
      { id: 3, amount: 30, region: 'EU', source_file: paths.feb },
      { id: 4, amount: 40, region: 'APAC', source_file: paths.mar },
      { id: 5, amount: 50, region: 'EU', source_file: paths.mar },
    ])
  })

  it('names the file column as asked and fills a column missing from a file with NULL', async () => {
    const paths = writeMonths()
    sandbox.write('data/2024-apr.csv', 'id,amount\n6,60\n')
    await read('source.folder', { pattern: 'data/2024-*.csv', fileColumn: 'from_file' })
    expect(await staged('id DESC LIMIT 2')).toEqual([
      { id: 6, amount: 60, region: null, from_file: join(sandbox.dir, 'data/2024-apr.csv') },
      { id: 5, amount: 50, region: 'EU', from_file: paths.mar },
    ])
  })

  it('reads tab-separated files when the delimiter is given as \\t', async () => {
    writeMonths('tsv', '\t')
    const result = await read('source.folder', { pattern: 'data/*.tsv', delimiter: '\\t' })
    expect(result.errors).toEqual([])
    expect((await staged('id')).map(({ id, amount, region }) => ({ id, amount, region }))).toEqual([
      { id: 1, amount: 10, region: 'EU' },
      { id: 2, amount: 20, region: 'US' },
      { id: 3, amount: 30, region: 'EU' },
      { id: 4, amount: 40, region: 'APAC' },
      { id: 5, amount: 50, region: 'EU' },
    ])
  })

  it('reads a file whose column turns out to be text after the rows DuckDB samples', async () => {
    mkdirSync(join(sandbox.dir, 'codes'))
    sandbox.write('codes/a.csv', 'code\n1\n2\n')
    const numbers = Array.from({ length: 25_000 }, (_, i) => String(i))
    sandbox.write('codes/b.csv', `code\n${numbers.join('\n')}\nX-1\n`)
    const result = await read('source.folder', { pattern: 'codes/*.csv' })
    expect(result.errors).toEqual([])
    expect(result.nodes[0]?.rowsOut).toBe(25_003)
    expect(await sandbox.rows(`SELECT code FROM "src__out" WHERE code LIKE 'X%'`)).toEqual([
      { code: 'X-1' },
    ])
  })

  it('reads a folder of Parquet files', async () => {
    mkdirSync(join(sandbox.dir, 'parts'))
    for (const part of [1, 2]) {
      const path = join(sandbox.dir, 'parts', `part-${part}.parquet`)
      await sandbox.rows(`COPY (SELECT ${part} AS part, 'x' AS v) TO '${path}' (FORMAT parquet)`)
    }
    await read('source.folder', { pattern: 'parts/*.parquet', format: 'parquet' })
    expect((await staged('part')).map(({ part, v }) => ({ part, v }))).toEqual([
      { part: 1, v: 'x' },
      { part: 2, v: 'x' },
    ])
  })

  it('fails naming the pattern when no file matches', async () => {
    writeMonths()
    const result = await read('source.folder', { pattern: 'data/*.xlsx' })
    expect(result.status).toBe('failed')
    expect(result.errors).toEqual([
      expect.objectContaining({
        code: 'NO_FILES_MATCHED',
        nodeId: 'src',
        field: 'config.pattern',
        message: `No files match ${join(sandbox.dir, 'data/*.xlsx')}.`,
      }),
    ])
  })

  it('reads a file added since the last run instead of reusing the old result', async () => {
    writeMonths()
    await read('source.folder', { pattern: 'data/*.csv' })
    sandbox.write('data/2024-apr.csv', 'id,amount,region\n6,60,US\n')
    const result = await read('source.folder', { pattern: 'data/*.csv' })
    expect(result.nodes[0]).toMatchObject({ status: 'done', rowsOut: 6 })
  })
})
