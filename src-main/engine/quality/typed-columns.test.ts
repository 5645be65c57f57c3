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
