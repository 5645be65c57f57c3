import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Rule, RuleResult } from '../../../src-shared/quality'
import type { NodeStats } from '../../../src-shared/run'
import { createSandbox, type EngineSandbox } from '../test-support'
import { ids, people, rowsOf, runCheck } from './quality-test-data'

let sandbox: EngineSandbox
beforeEach(async () => {
  sandbox = await createSandbox()
})
afterEach(() => sandbox.close())

/** Checked rows in `in` and reference rows in `ref`, both made by SQL, into node `chk`. */
function withReference(rows: string, reference: string, kind: string, config: object) {
  const node = (id: string, sql: string) => ({ ...rowsOf(sql, id), position: { x: 0, y: 0 } })
  return {
    formatVersion: 1,
    name: 'referential',
    nodes: [
      {
        id: 'src',
        kind: 'source.csv',
        config: { path: sandbox.write('one.csv', 'x\n1\n') },
        position: { x: 0, y: 0 },
      },
      node('trades', rows),
      node('accounts', reference),
      { id: 'chk', kind, config, position: { x: 0, y: 0 } },
    ],
    edges: [
      { from: { node: 'src', port: 'out' }, to: { node: 'trades', port: 'in' } },
      { from: { node: 'src', port: 'out' }, to: { node: 'accounts', port: 'in' } },
      { from: { node: 'trades', port: 'out' }, to: { node: 'chk', port: 'in' } },
      { from: { node: 'accounts', port: 'out' }, to: { node: 'chk', port: 'ref' } },
    ],
  }
}

const trades = `SELECT * FROM (VALUES (1, 1), (2, 2), (3, 17), (4, NULL), (5, 2)) t(id, account)`
const accounts = `SELECT * FROM (VALUES (1), (2), (2), (3)) t(id)`

describe('referential integrity', () => {
  it('fails keys missing from the reference and skips NULL keys', async () => {
    const { result } = await sandbox.run(
      withReference(trades, accounts, 'check.referential', {
        columns: ['account'],
        refColumns: ['id'],
        severity: 'warn',
      }),
    )
    const stats = result.nodes.find((node) => node.nodeId === 'chk') as NodeStats
    expect(stats.rowsIn).toBe(5)
    expect(stats.quality?.rules[0]).toMatchObject({ tested: 4, failed: 1 })
    expect(await sandbox.port('chk', 'fail')).toEqual([
      { id: 3, account: 17, _check: 'referential', _reason: 'account 17 is not in ref.id' },
    ])
    // One row per input row, even though account 2 is twice in the reference.
    expect(ids(await sandbox.port('chk', 'pass'))).toEqual([1, 2, 4, 5])
  })

  it('fails NULL keys with nulls: fail, and compares keys of different types as text', async () => {
    const textIds = `SELECT * FROM (VALUES ('1'), ('2')) t(id)`
    const { result } = await sandbox.run(
      withReference(trades, textIds, 'check.referential', {
        columns: ['account'],
        refColumns: ['id'],
        nulls: 'fail',
        severity: 'warn',
      }),
    )
    expect(result.nodes.find((node) => node.nodeId === 'chk')?.quality?.rules[0]).toMatchObject({
      tested: 5,
      failed: 2,
    })
    expect(ids(await sandbox.port('chk', 'fail'))).toEqual([3, 4])
  })

  /** The ids of the trades whose account (of `type`) is not among the reference keys `ids`. */
  async function missing(type: string, reference: string): Promise<unknown[]> {
    const typed = `SELECT id, CAST(account AS ${type}) AS account FROM (${trades})`
    const { result } = await sandbox.run(
      withReference(typed, reference, 'check.referential', {
        columns: ['account'],
        refColumns: ['id'],
        severity: 'warn',
      }),
    )
    expect(result.errors).toEqual([])
    return ids(await sandbox.port('chk', 'fail'))
  }

  it('compares numbers of different types as numbers: 17 = 17.0 = 17.00', async () => {
    // The reference holds 1, 2 and 17 (but not 2.5): only the NULL of row 4 is skipped.
    const doubles = `SELECT * FROM (VALUES (1.0::DOUBLE), (2.0::DOUBLE), (17.0::DOUBLE), (2.5::DOUBLE)) t(id)`
    expect(await missing('INTEGER', doubles)).toEqual([])
    const decimals = `SELECT CAST(id AS DECIMAL(10,2)) AS id FROM (VALUES (1), (2), (17)) t(id)`
    expect(await missing('BIGINT', decimals)).toEqual([])
    const someDecimals = `SELECT * FROM (VALUES (1.00::DECIMAL(10,2)), (2.50::DECIMAL(10,2))) t(id)`
    expect(await missing('BIGINT', someDecimals)).toEqual([2, 3, 5])
  })

  it('compares a number with a text key as text, and refuses keys that cannot compare', async () => {
    const texts = `SELECT * FROM (VALUES ('1'), ('17'), ('2.0')) t(id)`
    expect(await missing('INTEGER', texts)).toEqual([2, 5])
    const { result } = await sandbox.run(
      withReference(trades, `SELECT DATE '2024-01-01' AS id`, 'check.referential', {
        name: 'accounts',
        columns: ['account'],
        refColumns: ['id'],
      }),
    )
    expect(result.errors[0]).toMatchObject({ code: 'BAD_CONFIG', nodeId: 'chk' })
    expect(result.errors[0]?.message).toBe(
      'Node "chk", field "config.refColumns[0]": rule "accounts": column "account" is INTEGER but ref column "id" is DATE; cast one of them first.',
    )
  })
})

const suiteRules: Array<Record<string, unknown>> = [
  { name: 'not-null', check: 'not-null', columns: ['name'] },
  { name: 'range', check: 'range', column: 'amount', min: 0, max: 1000 },
  { name: 'pattern', check: 'pattern', column: 'email', preset: 'email' },
  { name: 'length', check: 'length', column: 'code', max: 5 },
  { name: 'accepted-values', check: 'accepted-values', column: 'name', values: ['ann', 'bob'] },
  { name: 'unique', check: 'unique', columns: ['amount'] },
  { name: 'row-count', check: 'row-count', min: 1 },
].map((rule) => ({ ...rule, severity: 'warn' }))

describe('a validate suite', () => {
  it('finds what the same rules find as single check nodes', async () => {
    const suite = await runCheck(sandbox, people, 'quality.validate', { rules: suiteRules })
    const singles: RuleResult[] = []
    for (const { check, ...config } of suiteRules) {
      singles.push((await runCheck(sandbox, people, `check.${String(check)}`, config)).rule)
    }
    expect(suite.stats.quality?.rules).toEqual(singles)
  })

  it('sends a row failing several rules to fail once, with every rule and reason', async () => {
    const suite = await runCheck(sandbox, people, 'quality.validate', { rules: suiteRules })
    const fail = await suite.fail()
    expect(ids(fail)).toEqual([2, 3, 5])
    expect(fail[0]).toEqual({
      id: 2,
      name: null,
      amount: 1500,
      email: 'x@',
      code: 'ABCDEF',
      day: '2023-12-31',
      _check: 'not-null, range, pattern, length',
      _reason:
        'name is NULL; amount 1500 is above the maximum 1000; email "x@" does not match the email pattern; code "ABCDEF" has 6 characters, more than the maximum 5',
    })
    expect(fail[1]).toMatchObject({ id: 3, _check: 'range, accepted-values' })
    expect(ids(await suite.pass())).toEqual([1, 4])
    expect(suite.stats).toMatchObject({ rowsIn: 5, rowsOut: 2, rowsRejected: 3 })
    expect(suite.stats.outputs).toMatchObject({ pass: { rows: 2 }, fail: { rows: 3 } })
  })

  it('replaces the _check and _reason of an input that already has them', async () => {
    const first = await runCheck(sandbox, people, 'check.range', {
      column: 'amount',
      max: 1000,
      severity: 'warn',
    })
    expect(ids(await first.fail())).toEqual([2])
    const again = `SELECT * FROM (VALUES (1, 'old', 'why')) t(id, _check, _reason)`
    const checked = await runCheck(sandbox, again, 'check.sql', {
      expression: 'id > 1',
      severity: 'warn',
    })
    expect(await checked.fail()).toEqual([
      { id: 1, _check: 'sql', _reason: 'the condition id > 1 does not hold' },
    ])
  })

  it('names the rule and its place in the suite when its config is wrong', async () => {
    const rules: Rule[] = [
      {
        name: 'ok',
        check: 'not-null',
        columns: ['id'],
        severity: 'warn',
        mostly: 1,
        blankIsNull: false,
      },
      {
        name: 'bad',
        check: 'length',
        column: 'nope',
        max: 3,
        severity: 'warn',
        mostly: 1,
        nulls: 'skip',
      },
    ]
    const suite = await runCheck(sandbox, people, 'quality.validate', { rules })
    expect(suite.result.errors[0]).toMatchObject({
      code: 'BAD_CONFIG',
      field: 'config.rules[1].column',
    })
    expect(suite.result.errors[0]?.message).toContain('rule "bad": there is no column "nope"')
  })
})
