import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ColumnProfile } from '../../../src-shared/api'
import {
  chain,
  createSandbox,
  mustValidate,
  transformNode,
  type EngineSandbox,
} from '../test-support'
import { profileNode, profileRelation } from './profile'

let sandbox: EngineSandbox
beforeEach(async () => {
  sandbox = await createSandbox()
})
afterEach(() => sandbox.close())

const orders = [
  'id,name,amount,day,score,note',
  '1,ann,10,2024-01-01,0.0,',
  '2,bob,20,2024-01-03,2.5,x',
  '3,ann,,2024-01-03,10.0,',
  '4,cy,40,,2.5,y',
  '5,bob,10,2024-01-10,7.25,',
  '6,,10,2024-01-02,,x',
].join('\n')

function profile(document: unknown, nodeId: string, port?: string) {
  return profileNode(mustValidate(document), nodeId, {
    staging: sandbox.staging,
    baseDir: sandbox.dir,
    workDir: `${sandbox.dir}/work`,
    ...(port ? { port } : {}),
  })
}

function column(columns: ColumnProfile[], name: string): ColumnProfile {
  const found = columns.find((candidate) => candidate.name === name)
  if (!found) {
    throw new Error(`no column ${name}`)
  }
  return found
}

/** The non-empty bins as `from..to: count`, which is easier to read than 20 objects. */
function filledBins(profiled: ColumnProfile): string[] {
  return (profiled.histogram ?? [])
    .filter((bin) => bin.count > 0)
    .map((bin) => `${bin.from}..${bin.to}: ${bin.count}`)
}

describe('profiling a node', () => {
  it('counts nulls, distinct values, ranges, top values and bins of every column', async () => {
    const path = sandbox.write('orders.csv', orders)
    const document = chain({ id: 'src', kind: 'source.csv', config: { path } })
    const result = await profile(document, 'src')
    expect(result).toMatchObject({ nodeId: 'src', port: 'out', rows: 6 })
    const { columns } = result
    expect(columns.map((c) => [c.name, c.type, c.rows, c.nulls, c.distinct])).toEqual([
      ['id', 'BIGINT', 6, 0, 6],
      ['name', 'VARCHAR', 6, 1, 3],
      ['amount', 'BIGINT', 6, 1, 3],
      ['day', 'DATE', 6, 1, 4],
      ['score', 'DOUBLE', 6, 1, 4],
      ['note', 'VARCHAR', 6, 3, 2],
    ])
    expect(columns.map((c) => [c.name, c.min, c.max])).toEqual([
      ['id', '1', '6'],
      ['name', 'ann', 'cy'],
      ['amount', '10', '40'],
      ['day', '2024-01-01', '2024-01-10'],
      ['score', '0.0', '10.0'],
      ['note', 'x', 'y'],
    ])
    // Most frequent first; ties by value, with null after the values it ties with.
    expect(column(columns, 'name').top).toEqual([
      { value: 'ann', count: 2 },
      { value: 'bob', count: 2 },
      { value: 'cy', count: 1 },
      { value: null, count: 1 },
    ])
    expect(column(columns, 'amount').top).toEqual([
      { value: '10', count: 3 },
      { value: '20', count: 1 },
      { value: '40', count: 1 },
      { value: null, count: 1 },
    ])
    expect(column(columns, 'note').top).toEqual([
      { value: null, count: 3 },
      { value: 'x', count: 2 },
      { value: 'y', count: 1 },
    ])
    expect(column(columns, 'day').top[0]).toEqual({ value: '2024-01-03', count: 2 })

    // Whole numbers: 10..40 is 31 values, so 16 bins two wide.
    const amount = column(columns, 'amount')
    expect(amount.histogram).toHaveLength(16)
    expect(filledBins(amount)).toEqual(['10..11: 3', '20..21: 1', '40..41: 1'])
    // Dates: ten days, one bin a day.
    const day = column(columns, 'day')
    expect(day.histogram).toHaveLength(10)
    expect(filledBins(day)).toEqual([
      '2024-01-01..2024-01-01: 1',
      '2024-01-02..2024-01-02: 1',
      '2024-01-03..2024-01-03: 2',
      '2024-01-10..2024-01-10: 1',
    ])
    // Decimals: 20 slices of 0.5 between 0 and 10; the maximum falls in the last one.
    const score = column(columns, 'score')
    expect(score.histogram).toHaveLength(20)
    expect(filledBins(score)).toEqual(['0..0.5: 1', '2.5..3: 2', '7..7.5: 1', '9.5..10: 1'])
    expect(column(columns, 'id').histogram?.map((bin) => bin.count)).toEqual([1, 1, 1, 1, 1, 1])
    expect(column(columns, 'name').histogram).toBeNull()
  })

  it('gives the mean, standard deviation and exact quartiles of numbers and dates', async () => {
    const path = sandbox.write('orders.csv', orders)
    const { columns } = await profile(
      chain({ id: 'src', kind: 'source.csv', config: { path } }),
      'src',
    )
    // id 1..6: mean 3.5, sample variance 17.5 / 5; quartiles interpolate at 1.25, 2.5 and 3.75.
    const id = column(columns, 'id')
    expect(id.mean).toBe(3.5)
    expect(id.stddev).toBeCloseTo(Math.sqrt(3.5), 12)
    expect(id.quantiles).toEqual({ p25: '2.25', median: '3.5', p75: '4.75' })
    // amount 10, 10, 10, 20, 40 (one NULL left out): squared deviations 64 × 3 + 4 + 484 = 680.
    const amount = column(columns, 'amount')
    expect(amount.mean).toBe(18)
    expect(amount.stddev).toBeCloseTo(Math.sqrt(680 / 4), 12)
    expect(amount.quantiles).toEqual({ p25: '10.0', median: '10.0', p75: '20.0' })
    // score 0, 2.5, 2.5, 7.25, 10: mean 4.45, squared deviations sum to 66.05.
    const score = column(columns, 'score')
    expect(score.mean).toBeCloseTo(4.45, 12)
    expect(score.stddev).toBeCloseTo(Math.sqrt(66.05 / 4), 12)
    expect(score.quantiles).toEqual({ p25: '2.5', median: '2.5', p75: '7.25' })
    // Dates have quartiles taken from the column (Jan 1, 2, 3, 3, 10) and no mean.
    const day = column(columns, 'day')
    expect(day.quantiles).toEqual({ p25: '2024-01-02', median: '2024-01-03', p75: '2024-01-03' })
    expect([day.mean, day.stddev]).toEqual([null, null])
    expect(column(columns, 'name')).toMatchObject({ mean: null, stddev: null, quantiles: null })
    expect(columns.map((c) => [c.name, c.semanticType])).toEqual([
      ['id', 'id'],
      ['name', 'other'],
      ['amount', 'number'],
      ['day', 'date'],
      ['score', 'number'],
      ['note', 'other'],
    ])
  })

  it('leaves NaN and infinity out of the mean, deviation and quartiles', async () => {
    const path = sandbox.write('odd.csv', 'v\none\ninf\nthree\nnan\n')
    const document = chain(
      { id: 'src', kind: 'source.csv', config: { path } },
      {
        ...transformNode('num', 'sql', {
          inputs: ['input'],
          sql: "SELECT CASE v WHEN 'one' THEN 1.0 WHEN 'three' THEN 3.0 ELSE CAST(v AS DOUBLE) END::DOUBLE AS v FROM input",
        }),
        inputPort: 'input',
      },
    )
    const v = column((await profile(document, 'num')).columns, 'v')
    expect([v.type, v.rows, v.nulls]).toEqual(['DOUBLE', 4, 0])
    expect(v.mean).toBe(2)
    expect(v.stddev).toBeCloseTo(Math.SQRT2, 12)
    expect(v.quantiles).toEqual({ p25: '1.5', median: '2.0', p75: '2.5' })
  })

  it('infers what each column holds', async () => {
    const rows = Array.from({ length: 20 }, (_, i) => {
      const n = String(i).padStart(2, '0')
      return [
        i === 7 ? 'not-an-email' : `user${i}@example.com`,
        `+86 138001380${n}`,
        13_800_138_000 + i,
        `A-${n}`,
        i % 2 === 0 ? 'paid' : 'void',
        `the parcel came ${i} days late`,
        i % 2 === 0 ? `2024-01-${n === '00' ? '01' : n}` : `2024/02/${n} 10:00`,
        `2024-01-01 ${n}:00:00`,
        i % 3,
        (i * 1.5).toFixed(2),
        i % 2 === 0 ? 'true' : 'false',
        '',
        i < 17 ? `code${i}` : `c@x${i}.io`,
      ].join(',')
    })
    const header =
      'email,phone,mobile,code,status,comment,seen,at,rank,price,flag,empty,mostly_codes'
    const path = sandbox.write('kinds.csv', [header, ...rows].join('\n'))
    const { columns } = await profile(
      chain({ id: 'src', kind: 'source.csv', config: { path } }),
      'src',
    )
    expect(columns.map((c) => [c.name, c.type, c.semanticType])).toEqual([
      // 19 of 20 (95%) match the email preset.
      ['email', 'VARCHAR', 'email'],
      ['phone', 'VARCHAR', 'phone'],
      // A mainland mobile number read as a whole number is still a phone.
      ['mobile', 'BIGINT', 'phone'],
      // Unique, short, no spaces.
      ['code', 'VARCHAR', 'id'],
      // 2 distinct values of 20.
      ['status', 'VARCHAR', 'category'],
      ['comment', 'VARCHAR', 'free text'],
      // Mixed date formats stay text, but every value reads as a date.
      ['seen', 'VARCHAR', 'date'],
      ['at', 'TIMESTAMP', 'date'],
      ['rank', 'BIGINT', 'number'],
      ['price', 'DOUBLE', 'number'],
      ['flag', 'BOOLEAN', 'category'],
      ['empty', 'VARCHAR', 'other'],
      // 3 of 20 emails (15%) is not enough: the unique short codes make it an id.
      ['mostly_codes', 'VARCHAR', 'id'],
    ])
    // Timestamps take quartiles from the column: the 5th, 10th and 15th of 20 hours.
    expect(column(columns, 'at').quantiles).toEqual({
      p25: '2024-01-01 04:00:00',
      median: '2024-01-01 09:00:00',
      p75: '2024-01-01 14:00:00',
    })
  })

  it('keeps ten top values and profiles a transform that never ran', async () => {
    const lines = Array.from({ length: 30 }, (_, i) => `${i % 12},t${i % 12}`)
    const path = sandbox.write('many.csv', ['k,label', ...lines].join('\n'))
    const document = chain(
      { id: 'src', kind: 'source.csv', config: { path } },
      { id: 'small', kind: 'transform.filter', config: { where: 'k < 11' } },
    )
    const result = await profile(document, 'small')
    // k 0..5 occur three times, 6..10 twice; 11 is filtered out.
    expect(result.rows).toBe(28)
    const label = column(result.columns, 'label')
    expect(label.top).toHaveLength(10)
    expect(label.top.slice(0, 7).map((top) => [top.value, top.count])).toEqual([
      ['t0', 3],
      ['t1', 3],
      ['t2', 3],
      ['t3', 3],
      ['t4', 3],
      ['t5', 3],
      ['t10', 2],
    ])
  })

  it('profiles the rejects of a CSV source', async () => {
    const path = sandbox.write('ragged.csv', 'a,b\n1,2\n3\n4,5\n')
    const document = chain({ id: 'src', kind: 'source.csv', config: { path } })
    const out = await profile(document, 'src')
    expect(out.rows).toBe(2)
    const rejects = await profile(document, 'src', 'rejects')
    expect(rejects).toMatchObject({ port: 'rejects', rows: 1 })
  })

  it('reads the data in three statements, however many columns there are', async () => {
    const connection = await sandbox.staging.connect()
    try {
      await connection.run(
        `CREATE TABLE wide AS SELECT i AS n, 'user' || i || '@example.com' AS email,
                DATE '2024-01-01' + CAST(i % 30 AS INTEGER) AS day, i * 0.5 AS half,
                CASE WHEN i % 2 = 0 THEN 'a' ELSE 'b' END AS kind FROM range(1000) t(i)`,
      )
      const statements: string[] = []
      const counting = new Proxy(connection, {
        get(target, property, receiver) {
          if (property === 'runAndReadAll') {
            return (sql: string) => {
              statements.push(sql)
              return target.runAndReadAll(sql)
            }
          }
          const value: unknown = Reflect.get(target, property, receiver)
          return typeof value === 'function' ? value.bind(target) : value
        },
      })
      const columns = [
        { name: 'n', type: 'BIGINT' },
        { name: 'email', type: 'VARCHAR' },
        { name: 'day', type: 'DATE' },
        { name: 'half', type: 'DECIMAL(18,1)' },
        { name: 'kind', type: 'VARCHAR' },
      ]
      const result = await profileRelation(counting, 'wide', columns)
      expect(statements).toHaveLength(3)
      // Distinct counts are exact: the groups of the top values' GROUP BY.
      expect(result.columns.map((c) => c.distinct)).toEqual([1000, 1000, 30, 1000, 2])
      expect(result.columns.map((c) => [c.name, c.semanticType, c.quantiles?.median])).toEqual([
        ['n', 'id', '499.5'],
        ['email', 'email', undefined],
        ['day', 'date', '2024-01-15'],
        ['half', 'number', '249.75'],
        ['kind', 'category', undefined],
      ])
    } finally {
      connection.closeSync()
    }
  })

  it('profiles an empty result without failing', async () => {
    const path = sandbox.write('a.csv', 'a,b\n1,x\n')
    const document = chain(
      { id: 'src', kind: 'source.csv', config: { path } },
      { id: 'none', kind: 'transform.filter', config: { where: 'a > 5' } },
    )
    const result = await profile(document, 'none')
    expect(result.rows).toBe(0)
    expect(result.columns.map((c) => [c.name, c.nulls, c.top, c.histogram])).toEqual([
      ['a', 0, [], []],
      ['b', 0, [], null],
    ])
    expect(result.columns.map((c) => [c.mean, c.quantiles, c.semanticType])).toEqual([
      [null, null, 'other'],
      [null, null, 'other'],
    ])
  })
})
