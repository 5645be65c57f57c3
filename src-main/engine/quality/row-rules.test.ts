import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createSandbox, type EngineSandbox } from '../test-support'
import { ids, people, runCheck } from './quality-test-data'

let sandbox: EngineSandbox
beforeEach(async () => {
  sandbox = await createSandbox()
})
afterEach(() => sandbox.close())

const check = (kind: string, config: Record<string, unknown>, sql = people) =>
  runCheck(sandbox, sql, `check.${kind}`, { severity: 'warn', ...config })

describe('not-null', () => {
  it('fails NULLs and never skips a row', async () => {
    const checked = await check('not-null', { columns: ['name'] })
    expect(checked.rule).toMatchObject({ tested: 5, failed: 1, status: 'warned', passRate: 0.8 })
    expect(await checked.fail()).toEqual([
      expect.objectContaining({ id: 2, _check: 'not-null', _reason: 'name is NULL' }),
    ])
    expect(ids(await checked.pass())).toEqual([1, 3, 4, 5])
  })

  it('counts a blank text as NULL with blankIsNull, and names each column', async () => {
    const checked = await check('not-null', { columns: ['name', 'email'], blankIsNull: true })
    expect(checked.rule).toMatchObject({ tested: 5, failed: 2 })
    expect((await checked.fail()).map((row) => row._reason)).toEqual([
      'name is NULL',
      'name is blank, email is NULL',
    ])
  })
})

describe('accepted values', () => {
  it('skips NULLs by default and compares exactly', async () => {
    const checked = await check('accepted-values', { column: 'name', values: ['ann', 'bob'] })
    expect(checked.rule).toMatchObject({ tested: 4, failed: 2 })
    expect((await checked.fail()).map((row) => row._reason)).toEqual([
      'name "  " is not one of "ann", "bob"',
      'name "Ann " is not one of "ann", "bob"',
    ])
  })

  it('ignores case and surrounding spaces when asked', async () => {
    const checked = await check('accepted-values', {
      column: 'name',
      values: ['ANN', 'bob'],
      ignoreCase: true,
    })
    expect(checked.rule).toMatchObject({ tested: 4, failed: 1 })
    expect(ids(await checked.fail())).toEqual([3])
  })

  it('fails NULLs with nulls: fail', async () => {
    const checked = await check('accepted-values', {
      column: 'name',
      values: ['ann', 'bob'],
      nulls: 'fail',
    })
    expect(checked.rule).toMatchObject({ tested: 5, failed: 3 })
    expect((await checked.fail())[0]).toMatchObject({ id: 2, _reason: 'name is NULL' })
  })
})

describe('range', () => {
  it('fails numbers outside the bounds, keeping the bounds, and skips NULLs', async () => {
    const checked = await check('range', { column: 'amount', min: 0, max: 1000 })
    expect(checked.rule).toMatchObject({ tested: 4, failed: 2, passRate: 0.5 })
    expect(checked.rule.message).toBe('2 of 4 tested rows fail (50% pass); 1 skipped (NULL)')
    expect((await checked.fail()).map((row) => row._reason)).toEqual([
      'amount 1500 is above the maximum 1000',
      'amount -1 is below the minimum 0',
    ])
    expect(checked.rule.samples).toEqual([
      expect.objectContaining({ id: 2, amount: 1500 }),
      expect.objectContaining({ id: 3, amount: -1 }),
    ])
  })

  it('fails the bounds themselves when not inclusive', async () => {
    const checked = await check('range', { column: 'amount', max: 1000, inclusive: false })
    expect(checked.rule).toMatchObject({ tested: 4, failed: 2 })
    expect((await checked.fail()).map((row) => row._reason)).toEqual([
      'amount 1500 is not below the maximum 1000',
      'amount 1000 is not below the maximum 1000',
    ])
  })

  it('fails NULLs with nulls: fail', async () => {
    const checked = await check('range', { column: 'amount', min: 0, max: 1000, nulls: 'fail' })
    expect(checked.rule).toMatchObject({ tested: 5, failed: 3 })
    expect(ids(await checked.fail())).toEqual([2, 3, 4])
  })

  it('compares dates with ISO bounds cast to the column type', async () => {
    const checked = await check('range', { column: 'day', min: '2024-01-01', max: '2024-01-31' })
    expect(checked.rule).toMatchObject({ tested: 4, failed: 2 })
    expect((await checked.fail()).map((row) => row._reason)).toEqual([
      'day 2023-12-31 is below the minimum 2024-01-01',
      'day 2024-02-01 is above the maximum 2024-01-31',
    ])
  })

  it('names the node, field and rule when a bound is not of the column type', async () => {
    const checked = await check('range', { column: 'day', min: 'soon' })
    expect(checked.result.status).toBe('failed')
    expect(checked.result.errors[0]).toMatchObject({
      code: 'BAD_CONFIG',
      nodeId: 'chk',
      message:
        'Node "chk", field "config.min": rule "range": "soon" is not a DATE like column "day".',
    })
    const numeric = await check('range', { column: 'day', max: 5 })
    expect(numeric.result.errors[0]?.message).toContain('5 is a number, but column "day" is DATE')
  })

  it('refuses a text column and a missing column, listing the columns', async () => {
    const text = await check('range', { column: 'name', max: 5 })
    expect(text.result.errors[0]?.message).toBe(
      'Node "chk", field "config.column": rule "range": column "name" is VARCHAR; a range needs numbers, dates or timestamps (cast it first).',
    )
    const missing = await check('range', { column: 'price', max: 5 })
    expect(missing.result.errors[0]?.message).toContain(
      'there is no column "price" (the columns are: id, name, amount, email, code, day)',
    )
  })
})

describe('pattern', () => {
  it('matches a preset against the whole text and skips NULLs', async () => {
    const checked = await check('pattern', { column: 'email', preset: 'email' })
    expect(checked.rule).toMatchObject({ tested: 4, failed: 1 })
    expect((await checked.fail())[0]).toMatchObject({
      id: 2,
      _reason: 'email "x@" does not match the email pattern',
    })
  })

  it('fails NULLs with nulls: fail, and takes a regex', async () => {
    const checked = await check('pattern', { column: 'code', regex: 'A[B-Z]*', nulls: 'fail' })
    // 'AB', 'ABCDEF', 'A', 'ABC' match in full; the NULL of row 4 fails.
    expect(checked.rule).toMatchObject({ tested: 5, failed: 1 })
    expect((await checked.fail())[0]).toMatchObject({ id: 4, _reason: 'code is NULL' })
  })

  it('names the node and rule when the regex is not valid', async () => {
    const checked = await check('pattern', { name: 'codes', column: 'code', regex: '[a-' })
    expect(checked.result.errors[0]).toMatchObject({ code: 'BAD_CONFIG', field: 'config.regex' })
    expect(checked.result.errors[0]?.message).toMatch(
      /^Node "chk", field "config.regex": rule "codes": the regular expression is not valid: missing \]/,
    )
  })
})

describe('length', () => {
  it('fails texts shorter or longer than allowed and skips NULLs', async () => {
    const checked = await check('length', { column: 'code', min: 2, max: 5 })
    expect(checked.rule).toMatchObject({ tested: 4, failed: 2 })
    expect((await checked.fail()).map((row) => row._reason)).toEqual([
      'code "ABCDEF" has 6 characters, more than the maximum 5',
      'code "A" has 1 character, fewer than the minimum 2',
    ])
  })

  it('fails NULLs with nulls: fail', async () => {
    const checked = await check('length', { column: 'code', max: 5, nulls: 'fail' })
    expect(checked.rule).toMatchObject({ tested: 5, failed: 2 })
    expect(ids(await checked.fail())).toEqual([2, 4])
  })
})

const keys = `SELECT * FROM (VALUES (1, 1, 'x'), (2, 2, 'x'), (3, 2, 'y'), (4, 3, 'x'), (5, 3, 'x'),
  (6, 3, 'y'), (7, NULL, 'x'), (8, NULL, 'x')) t(id, k, tag)`

describe('unique', () => {
  it('fails every copy of a repeated key and skips keys holding a NULL', async () => {
    const checked = await check('unique', { columns: ['k'] }, keys)
    expect(checked.rule).toMatchObject({ tested: 6, failed: 5 })
    expect(await checked.fail()).toEqual([
      { id: 2, k: 2, tag: 'x', _check: 'unique', _reason: 'k 2 appears 2 times' },
      { id: 3, k: 2, tag: 'y', _check: 'unique', _reason: 'k 2 appears 2 times' },
      { id: 4, k: 3, tag: 'x', _check: 'unique', _reason: 'k 3 appears 3 times' },
      { id: 5, k: 3, tag: 'x', _check: 'unique', _reason: 'k 3 appears 3 times' },
      { id: 6, k: 3, tag: 'y', _check: 'unique', _reason: 'k 3 appears 3 times' },
    ])
    expect(ids(await checked.pass())).toEqual([1, 7, 8])
  })

  it('fails keys holding a NULL with nulls: fail', async () => {
    const checked = await check('unique', { columns: ['k'], nulls: 'fail' }, keys)
    expect(checked.rule).toMatchObject({ tested: 8, failed: 7 })
    expect((await checked.fail()).at(-1)).toMatchObject({ id: 8, _reason: 'k is NULL' })
  })

  it('judges a compound key as a whole', async () => {
    const checked = await check('unique', { columns: ['k', 'tag'] }, keys)
    // (3, x) twice; (2, x), (2, y), (3, y), (1, x) once; the NULL keys skipped.
    expect(checked.rule).toMatchObject({ tested: 6, failed: 2 })
    expect((await checked.fail()).map((row) => row._reason)).toEqual([
      '(k, tag) (3, "x") appears 2 times',
      '(k, tag) (3, "x") appears 2 times',
    ])
  })
})

describe('outliers', () => {
  const values = (list: string) => `SELECT * FROM (VALUES ${list}) t(id, g, v)`
  const spread = values(
    [
      ...Array.from({ length: 10 }, (_, i) => `(${i + 1}, 'a', 10)`),
      "(11, 'a', 100)",
      "(12, 'a', NULL)",
    ].join(', '),
  )

  it('fails values more than 3 standard deviations from the mean, skipping NULLs', async () => {
    // mean 200/11 = 18.18; sample sd = sqrt((10 × 8.18² + 81.82²) / 10) = 27.14; 81.82 / 27.14 = 3.01.
    const checked = await check('outliers', { column: 'v' }, spread)
    expect(checked.rule).toMatchObject({ tested: 11, failed: 1 })
    expect((await checked.fail())[0]).toMatchObject({
      id: 11,
      _reason: 'v 100 is 3.0 standard deviations from the mean 18.18 (more than 3)',
    })
    const looser = await check('outliers', { column: 'v', threshold: 3.1 }, spread)
    expect(looser.rule).toMatchObject({ tested: 11, failed: 0, status: 'passed' })
  })

  it('fails values beyond 1.5 interquartile ranges of the quartiles, per group', async () => {
    // Group a: 1, 2, 3, 4, 100: quartiles 2 and 4, so [-1, 7]. Group b: 100..104: [98, 106].
    const grouped = values(
      "(1, 'a', 1), (2, 'a', 2), (3, 'a', 3), (4, 'a', 4), (5, 'a', 100), " +
        "(6, 'b', 100), (7, 'b', 101), (8, 'b', 102), (9, 'b', 103), (10, 'b', 104)",
    )
    const checked = await check('outliers', { column: 'v', method: 'iqr', groupBy: ['g'] }, grouped)
    expect(checked.rule).toMatchObject({ tested: 10, failed: 1 })
    expect((await checked.fail())[0]).toMatchObject({
      id: 5,
      _reason:
        'v 100 is outside the usual range of its group [-1.0, 7.0] (1.5 interquartile ranges beyond the quartiles)',
    })
    // Over all rows the quartiles are 3 and 101 and nothing is an outlier.
    const whole = await check('outliers', { column: 'v', method: 'iqr' }, grouped)
    expect(whole.rule).toMatchObject({ tested: 10, failed: 0 })
  })
})

describe('SQL assertion on rows', () => {
  it('fails rows where the condition is false or NULL', async () => {
    const checked = await check('sql', { expression: 'amount < 1000' })
    expect(checked.rule).toMatchObject({ tested: 5, failed: 3 })
    expect(ids(await checked.fail())).toEqual([2, 4, 5])
    expect((await checked.fail())[0]?._reason).toBe('the condition amount < 1000 does not hold')
  })

  it('names the node and rule when the condition does not run', async () => {
    const checked = await check('sql', { name: 'positive', expression: 'price > 0' })
    expect(checked.result.errors[0]).toMatchObject({
      code: 'BAD_CONFIG',
      field: 'config.expression',
    })
    expect(checked.result.errors[0]?.message).toContain(
      'rule "positive": the condition does not run: Referenced column "price" not found',
    )
    const aggregate = await check('sql', { name: 'total', expression: 'sum(amount) > 0' })
    expect(aggregate.result.errors[0]?.message).toMatch(
      /rule "total": the condition does not run: .*aggregate.*; for a condition over all rows, choose the dataset scope\.$/,
    )
  })
})

describe('mostly and severity', () => {
  it('passes a rule whose pass rate reaches mostly, and fails the node below it', async () => {
    const enough = await check('range', {
      column: 'amount',
      max: 1000,
      mostly: 0.75,
      severity: 'fail',
    })
    // 3 of the 4 tested amounts are at most 1000: 0.75 passes.
    expect(enough.rule).toMatchObject({ tested: 4, failed: 1, status: 'passed' })
    expect(enough.result.status).toBe('succeeded')

    const short = await check('range', {
      column: 'amount',
      max: 1000,
      mostly: 0.8,
      severity: 'fail',
    })
    expect(short.rule).toMatchObject({ status: 'failed' })
    expect(short.stats.status).toBe('failed')
    expect(short.result.status).toBe('failed')
    expect(short.result.errors).toEqual([
      expect.objectContaining({
        code: 'QUALITY_FAILED',
        nodeId: 'chk',
        message: 'Node "chk": quality rules failed: "range".',
      }),
    ])
    // The results still reach the run's record, and the fail port can still be read.
    expect(short.stats.quality?.rules[0]).toMatchObject({ tested: 4, failed: 1 })
    expect(ids(await short.fail())).toEqual([2])
  })
})
