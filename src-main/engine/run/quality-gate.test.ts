import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { NodeStats, RunResult } from '../../../src-shared/run'
import { createSandbox, type EngineSandbox } from '../test-support'

let sandbox: EngineSandbox
let target: string
beforeEach(async () => {
  sandbox = await createSandbox()
  target = join(sandbox.dir, 'warehouse.duckdb')
})
afterEach(() => sandbox.close())

const at = (x: number) => ({ position: { x, y: 0 } })
const edge = (from: string, to: string, fromPort = 'out', toPort = 'in') => ({
  from: { node: from, port: fromPort },
  to: { node: to, port: toPort },
})

const emailRule = {
  name: 'email',
  check: 'pattern',
  column: 'email',
  preset: 'email',
  severity: 'warn',
}

/** source → validate (emails must be valid, a warning) → gate → sink.duckdb, plus a CSV sink beside it. */
function guardedPush(
  csv: string,
  gate: Record<string, unknown>,
  rules: Array<Record<string, unknown>> = [emailRule],
) {
  return {
    formatVersion: 1,
    name: 'guarded',
    nodes: [
      { id: 'src', kind: 'source.csv', config: { path: sandbox.write('in.csv', csv) }, ...at(0) },
      {
        id: 'v',
        kind: 'quality.validate',
        config: { rules },
        ...at(1),
      },
      { id: 'gate', kind: 'quality.gate', config: gate, ...at(2) },
      { id: 'tidy', kind: 'transform.select', config: { columns: [{ name: 'id' }] }, ...at(3) },
      { id: 'load', kind: 'sink.duckdb', config: { path: target, table: 'people' }, ...at(4) },
    ],
    edges: [
      edge('src', 'v'),
      edge('v', 'gate', 'pass'),
      edge('gate', 'tidy'),
      edge('gate', 'load'),
    ],
  }
}

const good = 'id,email\n1,a@b.co\n2,c@d.org\n'
const bad = 'id,email\n1,a@b.co\n2,x@\n3,y@\n4,e@f.io\n'
const node = (result: RunResult, id: string) =>
  result.nodes.find((stats) => stats.nodeId === id) as NodeStats

async function targetRows(): Promise<unknown[]> {
  await sandbox.rows(`ATTACH '${target}' AS target (READ_ONLY)`)
  try {
    return (await sandbox.rows('SELECT id FROM target.people ORDER BY id')).map((row) => row.id)
  } finally {
    await sandbox.rows('DETACH target')
  }
}

describe('a quality gate', () => {
  it('lets the push run when the score upstream reaches the minimum', async () => {
    const { result } = await sandbox.run(guardedPush(good, { minScore: 90 }))
    expect(result.status).toBe('succeeded')
    expect(node(result, 'gate').quality).toMatchObject({ score: { score: 100 } })
    expect(node(result, 'gate').quality?.blocked).toBeUndefined()
    expect(await targetRows()).toEqual([1, 2])
  })

  it('stops the push below the minimum: the target is untouched and the run is blocked', async () => {
    await sandbox.run(guardedPush(good, { minScore: 90 }))
    const { result } = await sandbox.run(guardedPush(bad, { minScore: 90 }))
    // email: 2 of 4 valid (50); completeness 100: score 75.
    const score = node(result, 'v').quality?.score.score
    expect(score).toBe(75)
    expect(result.status).toBe('blocked')
    expect(node(result, 'gate')).toMatchObject({
      status: 'done',
      quality: { blocked: 'the quality score of "v" is 75, below the minimum 90' },
    })
    const message =
      'Push "load" did not run: quality gate "gate" stopped it (the quality score of "v" is 75, below the minimum 90).'
    expect(node(result, 'load')).toMatchObject({
      status: 'blocked',
      error: { code: 'QUALITY_BLOCKED', nodeId: 'load', message },
    })
    expect(result.errors).toEqual([expect.objectContaining({ code: 'QUALITY_BLOCKED', message })])
    // Nodes that are not pushes still run.
    expect(node(result, 'tidy').status).toBe('done')
    expect(await targetRows()).toEqual([1, 2])
  })

  it('creates nothing when the first push is stopped, in a dry run too', async () => {
    const dry = await sandbox.run(guardedPush(bad, { minScore: 90 }), { dryRun: true })
    expect(dry.result.status).toBe('blocked')
    const { result } = await sandbox.run(guardedPush(bad, { minScore: 90 }))
    expect(node(result, 'load').status).toBe('blocked')
    expect(existsSync(target)).toBe(false)
  })

  it('closes on a named rule that failed or blocked, or that no check upstream has', async () => {
    const named = await sandbox.run(guardedPush(good, { rules: ['email', 'phone'] }))
    expect(named.result.status).toBe('blocked')
    expect(node(named.result, 'gate').quality).toMatchObject({
      blocked: 'no check upstream has a rule "phone"',
      rules: [expect.objectContaining({ rule: 'email', status: 'passed' })],
    })
    expect(existsSync(target)).toBe(false)
  })
})

describe('a block rule', () => {
  it('stops every push downstream of its node and names the rule', async () => {
    const document = guardedPush(bad, { minScore: 0 }, [{ ...emailRule, severity: 'block' }])
    const { result } = await sandbox.run(document)
    expect(result.status).toBe('blocked')
    expect(node(result, 'v')).toMatchObject({ status: 'done' })
    expect(node(result, 'v').quality?.blocked).toBe('email: 2 of 4 tested rows fail (50% pass)')
    expect(node(result, 'load').error?.message).toBe(
      'Push "load" did not run: rule "email" of "v" stopped it (2 of 4 tested rows fail (50% pass)).',
    )
    expect(existsSync(target)).toBe(false)
  })

  it('leaves the run failed, not blocked, when a rule fails too', async () => {
    const document = guardedPush(bad, { minScore: 0 }, [
      { ...emailRule, severity: 'block' },
      { name: 'ids', check: 'range', column: 'id', max: 2 },
    ])
    const { result } = await sandbox.run(document)
    expect(result.status).toBe('failed')
    expect(node(result, 'v')).toMatchObject({
      status: 'failed',
      error: { code: 'QUALITY_FAILED', message: 'Node "v": quality rules failed: "ids".' },
    })
    expect(node(result, 'v').quality?.rules.map((rule) => rule.status)).toEqual([
      'blocked',
      'failed',
    ])
    expect(node(result, 'load').status).toBe('skipped')
  })
})

describe('previews of quality nodes', () => {
  it('show the pass and fail rows of a check and the rows through a gate, writing nothing', async () => {
    const document = guardedPush(bad, { minScore: 90 })
    const fail = await sandbox.preview(document, 'v', 10, 'fail')
    expect(fail.rows.map((row) => row.id)).toEqual([2, 3])
    expect(fail.columns.map((column) => column.name)).toEqual(['id', 'email', '_check', '_reason'])
    const pass = await sandbox.preview(document, 'v', 10, 'pass')
    expect(pass.rows.map((row) => row.id)).toEqual([1, 4])
    const gated = await sandbox.preview(document, 'gate', 10)
    expect(gated.rows.map((row) => row.id)).toEqual([1, 4])
    expect(existsSync(target)).toBe(false)
  })
})

describe('checks over a view', () => {
  const csv = 'id,k\n1,a\n2,b\n3,a\n4,c\n5,a\n6,b\n'
  const expectedFail = [
    { id: 1, k: 'a', _check: 'unique', _reason: 'k "a" appears 3 times' },
    { id: 2, k: 'b', _check: 'unique', _reason: 'k "b" appears 2 times' },
    { id: 3, k: 'a', _check: 'unique', _reason: 'k "a" appears 3 times' },
    { id: 5, k: 'a', _check: 'unique', _reason: 'k "a" appears 3 times' },
    { id: 6, k: 'b', _check: 'unique', _reason: 'k "b" appears 2 times' },
  ]

  it('number the rows themselves and keep the input order (a gate passes a view on)', async () => {
    const document = {
      formatVersion: 1,
      name: 'view input',
      nodes: [
        { id: 'src', kind: 'source.csv', config: { path: sandbox.write('k.csv', csv) }, ...at(0) },
        { id: 'gate', kind: 'quality.gate', config: { minScore: 0 }, ...at(1) },
        { id: 'chk', kind: 'check.unique', config: { columns: ['k'], severity: 'warn' }, ...at(2) },
      ],
      edges: [edge('src', 'gate'), edge('gate', 'chk')],
    }
    const { result } = await sandbox.run(document)
    expect(node(result, 'chk').quality?.rules[0]).toMatchObject({ tested: 6, failed: 5 })
    expect(await sandbox.port('chk', 'fail')).toEqual(expectedFail)
    expect(await sandbox.port('chk', 'pass')).toEqual([{ id: 4, k: 'c' }])
  })

  it('show their rows in a preview through a transform that is a temporary view', async () => {
    const document = {
      formatVersion: 1,
      name: 'preview input',
      nodes: [
        { id: 'src', kind: 'source.csv', config: { path: sandbox.write('k.csv', csv) }, ...at(0) },
        { id: 'some', kind: 'transform.filter', config: { where: 'id < 6' }, ...at(1) },
        { id: 'chk', kind: 'check.unique', config: { columns: ['k'], severity: 'warn' }, ...at(2) },
      ],
      edges: [edge('src', 'some'), edge('some', 'chk')],
    }
    const fail = await sandbox.preview(document, 'chk', 10, 'fail')
    expect(fail.rows).toEqual([
      { id: 1, k: 'a', _check: 'unique', _reason: 'k "a" appears 3 times' },
      { id: 3, k: 'a', _check: 'unique', _reason: 'k "a" appears 3 times' },
      { id: 5, k: 'a', _check: 'unique', _reason: 'k "a" appears 3 times' },
    ])
    // The run after it computes the same, from stored tables.
    const { result } = await sandbox.run(document)
    expect(result.status).toBe('succeeded')
    expect((await sandbox.port('chk', 'fail')).map((row) => row.id)).toEqual([1, 3, 5])
  })
})

describe('the checks a gate reads', () => {
  it('scores by the nearest check, and finds a named rule further up', async () => {
    const document = {
      formatVersion: 1,
      name: 'two checks',
      nodes: [
        { id: 'src', kind: 'source.csv', config: { path: sandbox.write('in.csv', bad) }, ...at(0) },
        {
          id: 'emails',
          kind: 'check.pattern',
          config: { name: 'email', column: 'email', preset: 'email', severity: 'warn' },
          ...at(1),
        },
        { id: 'ids', kind: 'check.not-null', config: { columns: ['id'] }, ...at(2) },
        { id: 'gate', kind: 'quality.gate', config: { minScore: 90, rules: ['email'] }, ...at(3) },
        { id: 'load', kind: 'sink.duckdb', config: { path: target, table: 'people' }, ...at(4) },
      ],
      // Every row goes on to the not-null check, so its score (100) is the gate's.
      edges: [
        edge('src', 'emails'),
        edge('src', 'ids'),
        edge('ids', 'gate', 'pass'),
        edge('gate', 'load'),
      ],
    }
    // `emails` is not upstream of the gate here: the named rule is missing.
    const apart = await sandbox.run(document)
    expect(node(apart.result, 'gate').quality?.blocked).toBe('no check upstream has a rule "email"')

    document.edges = [
      edge('src', 'emails'),
      edge('emails', 'ids', 'pass'),
      edge('ids', 'gate', 'pass'),
      edge('gate', 'load'),
    ]
    const { result } = await sandbox.run(document)
    expect(node(result, 'emails').quality?.score.score).toBe(75)
    // The score comes from the nearest check (100), but the named rule further up missed its
    // threshold (it only warned there): the gate closes.
    expect(node(result, 'gate').quality).toMatchObject({
      score: { score: 100 },
      rules: [expect.objectContaining({ rule: 'email', status: 'warned' })],
      blocked: 'rule "email" of "emails" warned: 2 of 4 tested rows fail (50% pass)',
    })
    expect(node(result, 'emails').warnings).toEqual([
      'Rule "email" warned: 2 of 4 tested rows fail (50% pass).',
    ])
    expect(result.status).toBe('blocked')
    expect(node(result, 'load').status).toBe('blocked')
    expect(existsSync(target)).toBe(false)
  })
})

describe('checks after checks', () => {
  it('read the pass rows of the check before them, in order, with outputs that stay views', async () => {
    const csv = 'id,amount\n1,5\n2,-3\n3,50\n4,7\n5,500\n'
    const document = {
      formatVersion: 1,
      name: 'chained',
      nodes: [
        { id: 'src', kind: 'source.csv', config: { path: sandbox.write('a.csv', csv) }, ...at(0) },
        {
          id: 'positive',
          kind: 'check.range',
          config: { column: 'amount', min: 0, severity: 'warn' },
          ...at(1),
        },
        {
          id: 'small',
          kind: 'check.range',
          config: { column: 'amount', max: 100, severity: 'warn' },
          ...at(2),
        },
      ],
      edges: [edge('src', 'positive'), edge('positive', 'small', 'pass')],
    }
    const { result } = await sandbox.run(document)
    expect(node(result, 'small')).toMatchObject({ rowsIn: 4, rowsOut: 3, rowsRejected: 1 })
    expect(await sandbox.port('small', 'pass')).toEqual([
      { id: 1, amount: 5 },
      { id: 3, amount: 50 },
      { id: 4, amount: 7 },
    ])
    expect(node(result, 'small').quality?.rules[0]?.samples).toEqual([{ id: 5, amount: 500 }])
    const kinds = await sandbox.rows(
      "SELECT view_name FROM duckdb_views() WHERE view_name LIKE 'small__%' ORDER BY 1",
    )
    expect(kinds.map((row) => row.view_name)).toEqual(['small__fail', 'small__pass'])
  })
})
