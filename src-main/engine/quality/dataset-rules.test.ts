import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { RuleResult } from '../../../src-shared/quality'
import { chain, createSandbox, historyOf, type EngineSandbox } from '../test-support'
import { people, rowsOf, runCheck } from './quality-test-data'

let sandbox: EngineSandbox
beforeEach(async () => {
  sandbox = await createSandbox()
})
afterEach(() => sandbox.close())

const check = (kind: string, config: Record<string, unknown>, sql = people) =>
  runCheck(sandbox, sql, `check.${kind}`, { severity: 'warn', ...config })

describe('row count', () => {
  it('passes a count within bounds and fails one outside, sending no rows to fail', async () => {
    const within = await check('row-count', { min: 5, max: 5 })
    expect(within.rule).toMatchObject({ tested: 1, failed: 0, status: 'passed', message: '5 rows' })
    const over = await check('row-count', { max: 4 })
    expect(over.rule).toMatchObject({
      tested: 1,
      failed: 1,
      status: 'warned',
      message: '5 rows: more than the maximum 4',
    })
    expect(await over.fail()).toEqual([])
    expect(await over.pass()).toHaveLength(5)
  })

  it('compares with the last successful run, and passes a first run saying so', async () => {
    const path = sandbox.write('in.csv', 'id\n1\n2\n3\n4\n')
    const document = chain(
      { id: 'src', kind: 'source.csv', config: { path } },
      { id: 'chk', kind: 'check.row-count', config: { maxChangePercent: 20, severity: 'warn' } },
    )
    const first = await sandbox.run(document)
    const firstRule = first.result.nodes[1]?.quality?.rules[0] as RuleResult
    expect(firstRule).toMatchObject({ status: 'passed' })
    expect(firstRule.message).toBe('4 rows: there is no earlier successful run to compare with')

    sandbox.write('in.csv', 'id\n1\n2\n3\n4\n5\n')
    const second = await sandbox.run(document, { quality: historyOf(first.result) })
    expect(second.result.nodes[1]?.quality?.rules[0]).toMatchObject({
      status: 'warned',
      failed: 1,
      message: '5 rows: 25% more than the 4 of the last successful run (at most 20% allowed)',
    })
  })
})

describe('freshness', () => {
  const at = (hoursAgo: number) =>
    `SELECT * FROM (VALUES (1, (now() AT TIME ZONE 'UTC') - INTERVAL ${hoursAgo} HOUR), (2, NULL)) t(id, seen)`

  it('passes when the newest timestamp is recent enough, fails when it is not', async () => {
    const fresh = await check('freshness', { column: 'seen', maxAgeHours: 3 }, at(2))
    expect(fresh.rule).toMatchObject({ tested: 1, failed: 0, status: 'passed' })
    expect(fresh.rule.message).toMatch(
      /^the newest seen, .*, is 2 hours old \(at most 3 allowed\)$/,
    )
    const stale = await check('freshness', { column: 'seen', maxAgeHours: 24 }, at(30))
    expect(stale.rule).toMatchObject({ tested: 1, failed: 1, status: 'warned' })
    expect(stale.rule.message).toContain('is 30 hours old (at most 24 allowed)')
  })

  it('fails a column with no values, and refuses a column that is not a date', async () => {
    const empty = await check(
      'freshness',
      { column: 'seen', maxAgeHours: 3 },
      'SELECT 1 AS id, CAST(NULL AS TIMESTAMP) AS seen',
    )
    expect(empty.rule).toMatchObject({ failed: 1, message: 'seen has no values' })
    const text = await check('freshness', { column: 'name', maxAgeHours: 3 })
    expect(text.result.errors[0]?.message).toBe(
      'Node "chk", field "config.column": rule "freshness": column "name" is VARCHAR; freshness needs a date or timestamp column (cast it first).',
    )
  })
})

describe('schema drift', () => {
  const document = (sql: string, allow: string[] = []) =>
    chain(
      { id: 'src', kind: 'source.csv', config: { path: sandbox.write('one.csv', 'x\n1\n') } },
      rowsOf(sql),
      { id: 'chk', kind: 'check.schema-drift', config: { allow, severity: 'warn' } },
    )

  it('records the schema on a first run, then lists columns added, removed and retyped', async () => {
    const first = await sandbox.run(document('SELECT 1 AS id, 2 AS amount, 3 AS gone'))
    expect(first.result.nodes[2]?.quality?.rules[0]).toMatchObject({
      status: 'passed',
      message: 'there is no earlier successful run to compare with; the schema is recorded',
    })
    const history = historyOf(first.result)

    const same = await sandbox.run(document('SELECT 5 AS id, 6 AS amount, 7 AS gone'), {
      quality: history,
    })
    expect(same.result.nodes[2]?.quality?.rules[0]).toMatchObject({ status: 'passed', failed: 0 })

    const drifted = await sandbox.run(document("SELECT 1 AS id, 'x' AS amount, 4 AS added"), {
      quality: history,
    })
    expect(drifted.result.nodes[2]?.quality?.rules[0]).toMatchObject({
      status: 'warned',
      tested: 1,
      failed: 1,
      message:
        'the columns changed since the last successful run: added: added (INTEGER); removed: gone; retyped: amount INTEGER → VARCHAR',
    })
  })

  it('lets the allowed kinds of change pass', async () => {
    const first = await sandbox.run(document('SELECT 1 AS id'))
    const second = await sandbox.run(document('SELECT 1 AS id, 2 AS extra', ['added']), {
      quality: historyOf(first.result),
    })
    expect(second.result.nodes[2]?.quality?.rules[0]).toMatchObject({
      status: 'passed',
      message: 'the columns changed only as allowed: added: extra (INTEGER)',
    })
  })
})

describe('SQL assertion on the dataset', () => {
  it('passes when the aggregate condition holds and fails when it is false or NULL', async () => {
    const holds = await check('sql', { expression: 'sum(amount) > 0', scope: 'dataset' })
    expect(holds.rule).toMatchObject({
      tested: 1,
      failed: 0,
      message: 'the condition sum(amount) > 0 holds',
    })
    const fails = await check('sql', { expression: 'count(*) > 10', scope: 'dataset' })
    expect(fails.rule).toMatchObject({
      failed: 1,
      message: 'the condition count(*) > 10 does not hold',
    })
    expect(await fails.fail()).toEqual([])
    const isNull = await check('sql', {
      expression: 'max(amount) FILTER (WHERE id > 9) > 0',
      scope: 'dataset',
    })
    expect(isNull.rule).toMatchObject({ failed: 1 })
    expect(isNull.rule.message).toContain('is NULL')
  })

  it('refuses a condition that does not aggregate, naming the rule', async () => {
    const checked = await check('sql', { name: 'each', expression: 'amount > 0', scope: 'dataset' })
    expect(checked.result.errors[0]).toMatchObject({ code: 'BAD_CONFIG', field: 'config.scope' })
    expect(checked.result.errors[0]?.message).toContain(
      'rule "each": a dataset condition must aggregate the rows',
    )
  })

  it('refuses a condition that does not aggregate over an empty or a one-row input too', async () => {
    for (const rows of [
      `SELECT * FROM (${people}) WHERE false`,
      `SELECT * FROM (${people}) LIMIT 1`,
    ]) {
      const checked = await check(
        'sql',
        { name: 'each', expression: 'amount > 0', scope: 'dataset' },
        rows,
      )
      expect(checked.result.status).toBe('failed')
      expect(checked.result.errors[0]).toMatchObject({ code: 'BAD_CONFIG', field: 'config.scope' })
      expect(checked.result.errors[0]?.message).toMatch(
        /^Node "chk", field "config.scope": rule "each": a dataset condition must aggregate the rows, e.g. sum\(amount\) > 0, but column "amount" is read outside one; choose the row scope for a condition on each row\.$/,
      )
    }
    // An aggregate over no rows is judged once: sum() of nothing is NULL, count(*) is 0.
    const none = `SELECT * FROM (${people}) WHERE false`
    const empty = await check('sql', { expression: 'sum(amount) > 0', scope: 'dataset' }, none)
    expect(empty.rule).toMatchObject({
      tested: 1,
      failed: 1,
      message: 'the condition sum(amount) > 0 is NULL',
    })
    const counted = await check('sql', { expression: 'count(*) = 0', scope: 'dataset' }, none)
    expect(counted.rule).toMatchObject({ tested: 1, failed: 0, status: 'passed' })
  })
})
