import { validatePipeline } from '../../../src-shared/pipeline'
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { RunResult } from '../../../src-shared/run'
import { chain, createSandbox, type EngineSandbox } from '../test-support'
import { partialPathFor } from './sink-file'

// File sinks: CSV, Parquet and JSON. The DuckDB table sink is in sink-duckdb.test.ts.

let sandbox: EngineSandbox
beforeEach(async () => {
  sandbox = await createSandbox()
})
afterEach(() => sandbox.close())

/** Stages `csv` (every column as text unless `typed`) and writes it with a sink of `kind`. */
async function writeWith(
  csv: string,
  kind: string,
  config: Record<string, unknown>,
  typed = true,
): Promise<RunResult> {
  const path = sandbox.write('in.csv', csv)
  const source = { id: 'src', kind: 'source.csv', config: { path, allText: !typed } }
  const { result } = await sandbox.run(chain(source, { id: 'out', kind, config }))
  return result
}

const read = (name: string): string => readFileSync(join(sandbox.dir, name), 'utf8')

describe('CSV sink', () => {
  // Every formula trigger OWASP lists, one per row, beside numbers that start with a minus.
  const risky = [
    'id,cell,amount',
    '1,=SUM(A1:A2),-5',
    '2,+1+cmd,3',
    "3,-2+3+cmd|' /C calc'!A0,-1",
    '4,@cmd,0',
    '5,"\tx",1',
    '6,"\rx",2',
    '7,plain,4',
    '8,a=b,',
    '9,-2.5,',
    '',
  ].join('\n')

  it('writes the rows and says where and how many', async () => {
    const result = await writeWith('id,name\n1,Ann\n2,"Bob, Jr."\n', 'sink.csv', {
      path: 'out.csv',
    })
    expect(result.errors).toEqual([])
    expect(result.nodes[1]).toMatchObject({
      status: 'done',
      rowsOut: 2,
      written: join(sandbox.dir, 'out.csv'),
    })
    expect(read('out.csv')).toBe('id,name\n1,Ann\n2,"Bob, Jr."\n')
  })

  it('escapes formula-like text cells with an apostrophe, leaving numbers as they are', async () => {
    const result = await writeWith(risky, 'sink.csv', { path: 'out.csv' })
    expect(result.errors).toEqual([])
    expect(read('out.csv')).toBe(
      [
        'id,cell,amount',
        "1,'=SUM(A1:A2),-5",
        "2,'+1+cmd,3",
        "3,'-2+3+cmd|' /C calc'!A0,-1",
        "4,'@cmd,0",
        "5,'\tx,1",
        `6,"'\rx",2`,
        '7,plain,4',
        '8,a=b,',
        '9,-2.5,',
        '',
      ].join('\n'),
    )
  })

  it('leaves numbers read as text alone while escaping formulas beside them', async () => {
    const csv = 'code,amount,note\n007,-7,=1+1\n-,+1.5e3,-\n'
    await writeWith(csv, 'sink.csv', { path: 'out.csv' }, false)
    expect(read('out.csv')).toBe("code,amount,note\n007,-7,'=1+1\n'-,+1.5e3,'-\n")
  })

  it('escapes formula-like header names too', async () => {
    await writeWith('id,=HYPERLINK("http://x"),-1\n1,a,b\n', 'sink.csv', { path: 'out.csv' })
    expect(read('out.csv')).toBe('id,"\'=HYPERLINK(""http://x"")",-1\n1,a,b\n')
  })

  it('writes cells exactly as they are when formula escaping is off', async () => {
    await writeWith(risky, 'sink.csv', { path: 'out.csv', escapeFormulas: false })
    expect(read('out.csv')).toBe(
      [
        'id,cell,amount',
        '1,=SUM(A1:A2),-5',
        '2,+1+cmd,3',
        "3,-2+3+cmd|' /C calc'!A0,-1",
        '4,@cmd,0',
        '5,\tx,1',
        '6,"\rx",2',
        '7,plain,4',
        '8,a=b,',
        '9,-2.5,',
        '',
      ].join('\n'),
    )
  })

  it('honours the delimiter, a tab written as \\t, and no header', async () => {
    await writeWith('a,b\n1,x\n', 'sink.csv', { path: 'semi.csv', delimiter: ';' })
    expect(read('semi.csv')).toBe('a;b\n1;x\n')
    await writeWith('a,b\n1,x\n', 'sink.csv', { path: 'tab.tsv', delimiter: '\\t', header: false })
    expect(read('tab.tsv')).toBe('1\tx\n')
  })

  it.each([';;', '§'])(
    'refuses the delimiter %s before running, naming the node and field',
    (delimiter) => {
      const validation = validatePipeline(
        chain(
          { id: 'src', kind: 'source.csv', config: { path: 'in.csv' } },
          { id: 'out', kind: 'sink.csv', config: { path: 'out.csv', delimiter } },
        ),
      )
      expect(validation.ok).toBe(false)
      expect(validation.ok ? [] : validation.errors).toEqual([
        expect.objectContaining({ code: 'BAD_CONFIG', nodeId: 'out', field: 'config.delimiter' }),
      ])
    },
  )

  it('compresses a file whose name ends in .gz, as its name says', async () => {
    const result = await writeWith('id,name\n1,Ann\n', 'sink.csv', { path: 'out.csv.gz' })
    expect(result.errors).toEqual([])
    const bytes = readFileSync(join(sandbox.dir, 'out.csv.gz'))
    expect([...bytes.subarray(0, 2)]).toEqual([0x1f, 0x8b])
    const file = join(sandbox.dir, 'out.csv.gz')
    expect(await sandbox.rows(`SELECT * FROM read_csv('${file}')`)).toEqual([
      { id: 1, name: 'Ann' },
    ])
  })

  it('creates missing folders on the way to the file', async () => {
    await writeWith('id\n1\n', 'sink.csv', { path: 'out/2024/01/ids.csv' })
    expect(read('out/2024/01/ids.csv')).toBe('id\n1\n')
  })
})

describe('Parquet sink', () => {
  it('writes a file DuckDB reads back with the same rows and types', async () => {
    const csv = 'id,name,amount,day\n1,Ann,10.5,2024-01-05\n2,,20,2024-02-01\n'
    const result = await writeWith(csv, 'sink.parquet', { path: 'out.parquet' })
    expect(result.nodes[1]).toMatchObject({ status: 'done', rowsOut: 2 })
    const file = join(sandbox.dir, 'out.parquet')
    expect(
      await sandbox.rows(
        `SELECT *, typeof(amount) AS amount_type, typeof(day) AS day_type FROM read_parquet('${file}')`,
      ),
    ).toEqual([
      {
        id: 1,
        name: 'Ann',
        amount: 10.5,
        day: '2024-01-05',
        amount_type: 'DOUBLE',
        day_type: 'DATE',
      },
      { id: 2, name: null, amount: 20, day: '2024-02-01', amount_type: 'DOUBLE', day_type: 'DATE' },
    ])
  })

  it('uses the compression asked for', async () => {
    await writeWith('id\n1\n2\n', 'sink.parquet', { path: 'out.parquet', compression: 'snappy' })
    const file = join(sandbox.dir, 'out.parquet')
    const codecs = await sandbox.rows(
      `SELECT DISTINCT compression FROM parquet_metadata('${file}')`,
    )
    expect(codecs).toEqual([{ compression: 'SNAPPY' }])
  })
})

describe('JSON sink', () => {
  const csv = 'id,name,vip\n1,Ann,true\n2,"Bob ""B""",false\n3,,\n'
  const expected = [
    { id: 1, name: 'Ann', vip: true },
    { id: 2, name: 'Bob "B"', vip: false },
    { id: 3, name: null, vip: null },
  ]

  it('writes one JSON object per line by default', async () => {
    const result = await writeWith(csv, 'sink.json', { path: 'out.ndjson' })
    expect(result.nodes[1]).toMatchObject({ status: 'done', rowsOut: 3 })
    const lines = read('out.ndjson').trimEnd().split('\n')
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual(expected)
  })

  it('writes one JSON array when asked', async () => {
    await writeWith(csv, 'sink.json', { path: 'out.json', format: 'array' })
    expect(JSON.parse(read('out.json'))).toEqual(expected)
  })
})

describe('a failed write', () => {
  const document = (where: string) =>
    chain(
      { id: 'src', kind: 'source.csv', config: { path: 'in.csv' } },
      { id: 'keep', kind: 'transform.filter', config: { where } },
      { id: 'out', kind: 'sink.csv', config: { path: 'out.csv' } },
    )

  it('leaves the previous file whole when the data upstream fails', async () => {
    sandbox.write('in.csv', 'id,amount\n1,10\n2,20\n')
    await sandbox.run(document('amount > 0'))
    expect(read('out.csv')).toBe('id,amount\n1,10\n2,20\n')

    sandbox.write('in.csv', 'id,amount\n1,10\n2,n/a\n')
    const { result } = await sandbox.run(document('CAST(amount AS INTEGER) > 0'))
    expect(result.status).toBe('failed')
    expect(result.nodes.map((node) => node.status)).toEqual(['done', 'failed', 'skipped'])
    expect(result.errors[0]?.message).toMatch(/^Node "keep" failed: .*n\/a/)
    expect(read('out.csv')).toBe('id,amount\n1,10\n2,20\n')
  })

  it('leaves the previous file whole when writing fails part-way, and says why', async () => {
    sandbox.write('in.csv', 'id,amount\n1,10\n2,20\n')
    await sandbox.run(document('true'))
    sandbox.write('in.csv', 'id,amount\n3,30\n')
    // Something in the way of the working file: the write fails before the file is replaced.
    const partial = partialPathFor(join(sandbox.dir, 'out.csv'))
    mkdirSync(partial)
    writeFileSync(join(partial, 'keep-me.txt'), 'not Sluice’s to delete')

    const { result } = await sandbox.run(document('true'))
    expect(result.status).toBe('failed')
    expect(result.errors).toEqual([
      expect.objectContaining({ code: 'WRITE_FAILED', nodeId: 'out' }),
    ])
    expect(result.errors[0]?.message).toMatch(
      new RegExp(`^Node "out" could not write ${join(sandbox.dir, 'out.csv')}: `),
    )
    expect(read('out.csv')).toBe('id,amount\n1,10\n2,20\n')
    expect(readdirSync(partial)).toEqual(['keep-me.txt'])
  })

  it('leaves no working file behind after a successful write', async () => {
    sandbox.write('in.csv', 'id\n1\n')
    await sandbox.run(document('true'))
    await sandbox.run(document('true'), { reuse: false })
    expect(readdirSync(sandbox.dir).filter((name) => name.includes('partial'))).toEqual([])
  })
})
