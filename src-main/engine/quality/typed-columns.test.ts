import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createSandbox, type EngineSandbox } from '../test-support'
import { ids, runCheck } from './quality-test-data'

let sandbox: EngineSandbox
beforeEach(async () => {
  sandbox = await createSandbox()
})
afterEach(() => sandbox.close())

/**
 * Four rows of typed columns: d DOUBLE 1.0, 2.5, 3.0, NULL; m DECIMAL(10,2) 1.00, 2.50, 3.00,
 * NULL; n INTEGER 1, 2, 3, NULL; day DATE 2024-01-02, 2024-01-03, 2024-01-04, NULL.
 */
const typed = `SELECT id, CAST(x AS DOUBLE) AS d, CAST(x AS DECIMAL(10,2)) AS m,
  CAST(floor(x) AS INTEGER) AS n, DATE '2024-01-01' + CAST(floor(x) AS INTEGER) AS day
  FROM (VALUES (1, 1.0), (2, 2.5), (3, 3.0), (4, NULL)) t(id, x)`

const check = (kind: string, config: Record<string, unknown>, sql = typed) =>
  runCheck(sandbox, sql, `check.${kind}`, { severity: 'warn', ...config })

describe('accepted values of typed columns', () => {
  it('compares DOUBLE and DECIMAL values as numbers: 1.0 and 1.00 are the listed "1"', async () => {
    const doubles = await check('accepted-values', { column: 'd', values: ['1', '2.5'] })
    expect(doubles.rule).toMatchObject({ tested: 3, failed: 1 })
    expect(await doubles.fail()).toEqual([
      expect.objectContaining({ id: 3, _reason: 'd 3.0 is not one of "1", "2.5"' }),
    ])
    const decimals = await check('accepted-values', { column: 'm', values: ['1', '2.5'] })
    expect(decimals.rule).toMatchObject({ tested: 3, failed: 1 })
    expect(await decimals.fail()).toEqual([
      expect.objectContaining({ id: 3, _reason: 'm 3.00 is not one of "1", "2.5"' }),
    ])
  })

  it('compares INTEGER and DATE values typed, whatever way the list writes them', async () => {
    const integers = await check('accepted-values', { column: 'n', values: ['1', '02', '+3'] })
    expect(integers.rule).toMatchObject({ tested: 3, failed: 0, status: 'passed' })
    const dates = await check('accepted-values', {
      column: 'day',
      values: ['2024-01-02', '2024-01-03 00:00:00'],
      nulls: 'fail',
    })
    expect(dates.rule).toMatchObject({ tested: 4, failed: 2 })
    expect((await dates.fail()).map((row) => row._reason)).toEqual([
      'day 2024-01-04 is not one of "2024-01-02", "2024-01-03 00:00:00"',
      'day is NULL',
    ])
  })

  it('refuses a listed value that is not of the column type, naming it', async () => {
    const checked = await check('accepted-values', {
      name: 'sizes',
      column: 'd',
      values: ['1', 'one', '2'],
    })
    expect(checked.result.errors[0]).toMatchObject({
      code: 'BAD_CONFIG',
      nodeId: 'chk',
      message:
        'Node "chk", field "config.values": rule "sizes": "one" cannot be read as DOUBLE, the type of column "d".',
    })
    const dates = await check('accepted-values', { column: 'day', values: ['soon', 'later'] })
    expect(dates.result.errors[0]?.message).toContain(
      '"soon", "later" cannot be read as DATE, the type of column "day"',
    )
  })

  it('ignores case for text only', async () => {
    const checked = await check('accepted-values', {
      column: 'n',
      values: ['1', '2'],
      ignoreCase: true,
    })
    expect(ids(await checked.fail())).toEqual([3])
  })
})

describe('IQR outliers where the quartiles coincide', () => {
  it('finds none in a group whose interquartile range is 0, and still finds them elsewhere', async () => {
    // Group a: 5, 5, 5, 5, 9 has both quartiles 5; group b: 1, 2, 3, 4, 100 has [-1, 7];
    // group c has a single value and group d only a NULL.
    const grouped = `SELECT * FROM (VALUES (1, 'a', 5), (2, 'a', 5), (3, 'a', 5), (4, 'a', 5),
      (5, 'a', 9), (6, 'b', 1), (7, 'b', 2), (8, 'b', 3), (9, 'b', 4), (10, 'b', 100),
      (11, 'c', 7), (12, 'd', NULL)) t(id, g, v)`
    const checked = await check('outliers', { column: 'v', method: 'iqr', groupBy: ['g'] }, grouped)
    expect(checked.rule).toMatchObject({ tested: 11, failed: 1 })
    expect(ids(await checked.fail())).toEqual([10])
  })
})

/**
 * price DECIMAL(10,2), ratio DOUBLE (the same numbers) and seen TIMESTAMPTZ (2024-05-01 10:00 UTC
 * plus id hours): 1.5, 250.25, NULL, -0.01, 10.0; row 3 is NULL everywhere but id.
 */
const odd = `SELECT id, CAST(x AS DECIMAL(10,2)) AS price, CAST(x AS DOUBLE) AS ratio,
  CASE WHEN x IS NOT NULL THEN TIMESTAMPTZ '2024-05-01 10:00:00+00' + to_hours(id) END AS seen
  FROM (VALUES (1, 1.5), (2, 250.25), (3, NULL), (4, -0.01), (5, 10.0)) t(id, x)`

describe('DECIMAL, DOUBLE and TIMESTAMPTZ columns', () => {
  it('judge ranges in their own type', async () => {
    const price = await check('range', { column: 'price', min: 0, max: 100 }, odd)
    expect(price.rule).toMatchObject({ tested: 4, failed: 2 })
    expect((await price.fail()).map((row) => row._reason)).toEqual([
      'price 250.25 is above the maximum 100',
      'price -0.01 is below the minimum 0',
    ])
    const ratio = await check('range', { column: 'ratio', min: '0', max: '100.5' }, odd)
    expect(ratio.rule).toMatchObject({ tested: 4, failed: 2 })
    expect(ids(await ratio.fail())).toEqual([2, 4])
    // 11:00, 12:00, 14:00 and 15:00 UTC: the first is early, the last late.
    const seen = await check(
      'range',
      { column: 'seen', min: '2024-05-01 13:30:00+02', max: '2024-05-01 14:00:00+00' },
      odd,
    )
    expect(seen.rule).toMatchObject({ tested: 4, failed: 2 })
    expect(ids(await seen.fail())).toEqual([1, 5])
  })

  it('find outliers among decimals and doubles', async () => {
    // mean 65.435, sample sd 123.29: 250.25 is 1.50 deviations away, the others under 0.6.
    const price = await check('outliers', { column: 'price', threshold: 1.4 }, odd)
    expect(price.rule).toMatchObject({ tested: 4, failed: 1 })
    expect(ids(await price.fail())).toEqual([2])
    // Quartiles 1.1225 and 70.0625: the range [-102.3, 173.5] leaves out 250.25 only.
    const ratio = await check('outliers', { column: 'ratio', method: 'iqr' }, odd)
    expect(ratio.rule).toMatchObject({ tested: 4, failed: 1 })
    expect(ids(await ratio.fail())).toEqual([2])
  })

  it('count NULLs of every type as missing', async () => {
    const checked = await check('not-null', { columns: ['price', 'ratio', 'seen'] }, odd)
    expect(checked.rule).toMatchObject({ tested: 5, failed: 1 })
    expect(await checked.fail()).toEqual([
      expect.objectContaining({ id: 3, _reason: 'price is NULL, ratio is NULL, seen is NULL' }),
    ])
    expect(checked.stats.quality?.score.columns.find((c) => c.name === 'price')?.score).toBe(80)
  })

  it('judge the freshness of a TIMESTAMPTZ by its instant', async () => {
    const recent = `SELECT 1 AS id, now() - INTERVAL 2 HOUR AS seen`
    const fresh = await check('freshness', { column: 'seen', maxAgeHours: 3 }, recent)
    expect(fresh.rule).toMatchObject({ tested: 1, failed: 0, status: 'passed' })
    expect(fresh.rule.message).toMatch(/, is 2 hours old \(at most 3 allowed\)$/)
    const stale = await check('freshness', { column: 'seen', maxAgeHours: 1 }, recent)
    expect(stale.rule).toMatchObject({ tested: 1, failed: 1, status: 'warned' })
  })
})

const everyRowRule = [
  { name: 'nn', check: 'not-null', columns: ['price'] },
  { name: 'uq', check: 'unique', columns: ['id'] },
  { name: 'av', check: 'accepted-values', column: 'ratio', values: ['1.5'] },
  { name: 'rg', check: 'range', column: 'price', min: 0 },
  { name: 'pt', check: 'pattern', column: 'id', regex: '[0-9]+' },
  { name: 'ln', check: 'length', column: 'id', max: 1 },
  { name: 'zs', check: 'outliers', column: 'ratio' },
  { name: 'iq', check: 'outliers', column: 'ratio', method: 'iqr', groupBy: ['id'] },
  { name: 'sq', check: 'sql', expression: 'price > 0' },
].map((rule) => ({ ...rule, severity: 'fail' }))

describe('inputs with nothing to judge', () => {
  it('pass every row rule with nothing tested over an empty input, with a full score', async () => {
    const empty = `SELECT * FROM (${odd}) WHERE false`
    const rules = [
      ...everyRowRule,
      { name: 'ds', check: 'sql', scope: 'dataset', expression: 'count(*) = 0', severity: 'fail' },
      { name: 'rc', check: 'row-count', max: 0, severity: 'fail' },
    ]
    const checked = await runCheck(sandbox, empty, 'quality.validate', { rules })
    expect(checked.result.status).toBe('succeeded')
    const results = checked.stats.quality?.rules ?? []
    expect(
      results.map((result) => [result.rule, result.tested, result.failed, result.status]),
    ).toEqual([
      ...everyRowRule.map((rule) => [rule.name, 0, 0, 'passed']),
      ['ds', 1, 0, 'passed'],
      ['rc', 1, 0, 'passed'],
    ])
    expect(results[0]?.message).toBe('no rows to test')
    expect(checked.stats.quality?.score.score).toBe(100)
    expect(checked.stats.quality?.score.columns.map((column) => column.score)).toEqual([
      100, 100, 100, 100,
    ])
    expect(await checked.fail()).toEqual([])
  })

  it('skip an all-NULL column where NULLs are skipped, and fail it where they are not', async () => {
    const blank = `SELECT id, CAST(NULL AS DOUBLE) AS v FROM range(1, 4) r(id)`
    const rules = [
      { name: 'rg', check: 'range', column: 'v', min: 0 },
      { name: 'zs', check: 'outliers', column: 'v' },
      { name: 'iq', check: 'outliers', column: 'v', method: 'iqr' },
      { name: 'av', check: 'accepted-values', column: 'v', values: ['1'] },
      { name: 'nn', check: 'not-null', columns: ['v'] },
      { name: 'fr', check: 'range', column: 'v', max: 1, nulls: 'fail' },
    ].map((rule) => ({ ...rule, severity: 'warn' }))
    const checked = await runCheck(sandbox, blank, 'quality.validate', { rules })
    expect(checked.result.status).toBe('succeeded')
    const results = checked.stats.quality?.rules ?? []
    expect(results.map((result) => [result.rule, result.tested, result.failed])).toEqual([
      ['rg', 0, 0],
      ['zs', 0, 0],
      ['iq', 0, 0],
      ['av', 0, 0],
      ['nn', 3, 3],
      ['fr', 3, 3],
    ])
    expect(results[0]?.message).toBe('no rows to test; 3 skipped (NULL)')
    // Completeness: nn 0, v filled 0, id filled 1: 33.3; validity: rg, zs, iq, av 1, fr 0: 80.
    expect(checked.stats.quality?.score.dimensions).toEqual({ completeness: 33.3, validity: 80 })
    expect(ids(await checked.fail())).toEqual([1, 2, 3])
  })
})
