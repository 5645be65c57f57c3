import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, expect, it } from 'vitest'
import type { Pipeline, PipelineNode } from '../../src-shared/pipeline'
import type { RunRecord } from '../../src-shared/project'
import type { Rule } from '../../src-shared/quality'
import { createServiceSandbox, type ServiceSandbox } from './test-support'

/**
 * A quality gate between checked data and a real push: the push must not run, the SQLite target
 * must be left exactly as it was, and the run must say it was blocked and why.
 */

let sandbox: ServiceSandbox
let shopFile: string
beforeEach(async () => {
  sandbox = await createServiceSandbox()
  shopFile = join(sandbox.dir, 'shop.sqlite')
  const db = new Database(shopFile)
  db.exec(`
    CREATE TABLE customers_clean (id INTEGER, email TEXT, amount INTEGER);
    INSERT INTO customers_clean VALUES (100, 'old@example.com', 5), (101, 'older@example.com', 6);
    CREATE TABLE events (id INTEGER PRIMARY KEY, email TEXT, amount INTEGER);
    INSERT INTO events VALUES (1, 'a@example.com', 1), (2, 'b@example.com', 2), (3, 'c@example.com', -3);
  `)
  db.close()
  await sandbox.client['connection/create']({
    name: 'Shop',
    kind: 'sqlite',
    database: 'shop.sqlite',
  })
})
afterEach(() => sandbox.close())

/**
 * Ten customers: rows 2, 5 and 9 have an email that is not valid, row 5 also a negative amount.
 * "email ok": 3 of 10 fail (pass rate 0.7); "amount positive": 1 of 10 (0.9); both only warn.
 * Validity is the mean, 80; completeness 100 (no NULLs in any column); the score is 90.
 */
const customersCsv = [
  'id,email,amount',
  '1,ann@example.com,10',
  '2,not-an-email,20',
  '3,cy@example.com,30',
  '4,dee@example.com,40',
  '5,eve at example,-5',
  '6,fay@example.com,60',
  '7,gus@example.com,70',
  '8,hal@example.com,80',
  '9,ivy@,90',
  '10,jo@example.com,100',
].join('\n')

const warnRules: Rule[] = [
  {
    name: 'email ok',
    check: 'pattern',
    column: 'email',
    preset: 'email',
    severity: 'warn',
    mostly: 1,
    nulls: 'skip',
  },
  {
    name: 'amount positive',
    check: 'range',
    column: 'amount',
    min: 0,
    severity: 'warn',
    mostly: 1,
    inclusive: true,
    nulls: 'skip',
  },
]

const node = (id: string, kind: string, config: Record<string, unknown>): PipelineNode => ({
  id,
  kind,
  position: { x: 0, y: 0 },
  config,
})
const edge = (from: string, fromPort: string, to: string, toPort = 'in') => ({
  from: { node: from, port: fromPort },
  to: { node: to, port: toPort },
})

/** customers.csv → validate → (pass) gate → push to SQLite; validate's fail → rejects.csv. */
function gatedPipeline(minScore: number): Pipeline {
  return {
    formatVersion: 1,
    name: 'Gated push',
    parameters: {},
    nodes: [
      node('customers', 'source.csv', { path: 'customers.csv' }),
      node('validate', 'quality.validate', { rules: warnRules, weights: {} }),
      node('gate', 'quality.gate', { minScore, rules: [] }),
      node('push', 'sink.database', {
        connection: 'Shop',
        table: 'customers_clean',
        mode: 'append',
      }),
      node('rejects', 'sink.csv', { path: 'out/rejects.csv' }),
    ],
    edges: [
      edge('customers', 'out', 'validate'),
      edge('validate', 'pass', 'gate'),
      edge('gate', 'out', 'push'),
      edge('validate', 'fail', 'rejects'),
    ],
  }
}

async function runPipeline(pipelineId: string, reuse = true): Promise<RunRecord> {
  const { client } = sandbox
  const { runId } = await client['run/start']({ pipelineId, reuse })
  return client['run/wait']({ runId })
}

function targetRows(): unknown[] {
  const db = new Database(shopFile, { readonly: true })
  try {
    return db.prepare('SELECT id, email, amount FROM customers_clean ORDER BY id').all()
  } finally {
    db.close()
  }
}

const nodeOf = (record: RunRecord, id: string) => record.nodes.find((n) => n.nodeId === id)

it('blocks the push when the score is below the gate minimum, leaving the target untouched', async () => {
  const { client } = sandbox
  sandbox.write('customers.csv', `${customersCsv}\n`)
  const pipeline = await client['pipeline/create']({
    name: 'Gated push',
    document: gatedPipeline(95),
  })
  const bytesBefore = readFileSync(shopFile)
  const rowsBefore = targetRows()

  const record = await runPipeline(pipeline.id)
  expect(record.status).toBe('blocked')
  expect(readFileSync(shopFile).equals(bytesBefore)).toBe(true)
  expect(targetRows()).toEqual(rowsBefore)

  expect(Object.fromEntries(record.nodes.map((n) => [n.nodeId, n.status]))).toEqual({
    customers: 'done',
    validate: 'done',
    gate: 'done',
    push: 'blocked',
    rejects: 'done',
  })
  const push = nodeOf(record, 'push')
  expect(push?.error?.code).toBe('QUALITY_BLOCKED')
  expect(push?.error?.message).toMatch(/^Push "push" did not run: .*gate.* stopped it \(/)
  expect(push?.error?.message).toContain('below the minimum 95')
  expect(record.errors.map((error) => error.code)).toEqual(['QUALITY_BLOCKED'])

  // Rows failing any rule go to `fail` once each, with every rule and reason.
  const rejects = readFileSync(join(sandbox.dir, 'out', 'rejects.csv'), 'utf8')
    .trim()
    .split('\n')
  expect(rejects[0]).toBe('id,email,amount,_check,_reason')
  expect(rejects.slice(1).map((line) => line.split(',')[0])).toEqual(['2', '5', '9'])
  expect(rejects.find((line) => line.startsWith('5,'))).toContain('email ok, amount positive')
  expect(nodeOf(record, 'validate')).toMatchObject({ rowsIn: 10 })

  const quality = nodeOf(record, 'validate')?.quality
  expect(quality?.score.score).toBe(90)
  expect(quality?.score.dimensions).toEqual({ validity: 80, completeness: 100 })
  expect(quality?.rules.map((r) => [r.rule, r.status, r.tested, r.failed, r.passRate])).toEqual([
    ['email ok', 'warned', 10, 3, 0.7],
    ['amount positive', 'warned', 10, 1, 0.9],
  ])
  expect(nodeOf(record, 'gate')?.quality?.blocked).toContain('below the minimum 95')

  // The history keeps one row per rule of the validate node (the gate's copies are not repeated).
  const stored = await client['run/get']({ runId: record.id })
  expect(stored.status).toBe('blocked')
  expect(stored.checks).toEqual([
    expect.objectContaining({
      nodeId: 'validate',
      check: 'email ok',
      status: 'warned',
      rowsPassed: 7,
      rowsFailed: 3,
      kind: 'pattern',
      severity: 'warn',
      passRate: 0.7,
    }),
    expect.objectContaining({
      nodeId: 'validate',
      check: 'amount positive',
      status: 'warned',
      rowsPassed: 9,
      rowsFailed: 1,
      kind: 'range',
      passRate: 0.9,
    }),
  ])
  const [summary] = await client['run/list']({ pipelineId: pipeline.id, limit: 1 })
  expect(summary?.status).toBe('blocked')
  const logs = await client['run/logs']({ runId: record.id })
  expect(logs.at(-1)?.message).toBe(
    `Run blocked by quality gate: gate "gate": ${nodeOf(record, 'gate')?.quality?.blocked}.`,
  )

  // Lowering the minimum opens the gate: the same data is pushed.
  await client['pipeline/autosave']({ id: pipeline.id, document: gatedPipeline(90) })
  const open = await runPipeline(pipeline.id)
  expect(open.status).toBe('succeeded')
  expect(nodeOf(open, 'push')?.status).toBe('done')
  expect(targetRows()).toHaveLength(2 + 7)
})

it('does not advance an incremental source watermark when a block rule stops the push', async () => {
  const { client } = sandbox
  const document = (severity: 'block' | 'warn'): Pipeline => ({
    formatVersion: 1,
    name: 'Incremental gated',
    parameters: {},
    nodes: [
      node('events', 'source.database', {
        connection: 'Shop',
        table: 'events',
        incremental: { column: 'id' },
      }),
      node('validate', 'quality.validate', {
        rules: [{ ...warnRules[1], severity }],
        weights: {},
      }),
      node('push', 'sink.database', { connection: 'Shop', table: 'events_copy', mode: 'append' }),
    ],
    edges: [edge('events', 'out', 'validate'), edge('validate', 'pass', 'push')],
  })
  const pipeline = await client['pipeline/create']({
    name: 'Incremental gated',
    document: document('block'),
  })
  const rowsRead = (record: RunRecord): number => nodeOf(record, 'events')?.rowsOut ?? -1

  const blocked = await runPipeline(pipeline.id, false)
  expect(blocked.status).toBe('blocked')
  expect(rowsRead(blocked)).toBe(3)
  expect(nodeOf(blocked, 'push')?.status).toBe('blocked')
  expect(blocked.checks).toEqual([
    expect.objectContaining({ check: 'amount positive', status: 'blocked', rowsFailed: 1 }),
  ])
  const logs = (await client['run/logs']({ runId: blocked.id })).map((line) => line.message)
  expect(logs).toContain(
    'Watermarks were not advanced because a quality gate stopped a push; the next run reads the same rows.',
  )
  expect(logs.at(-1)).toMatch(/^Run blocked by quality gate: check "validate": amount positive: /)

  // With the rule only warning, the same three rows are read again and pushed (all but the
  // one that failed); the watermark then moves past them.
  await client['pipeline/autosave']({ id: pipeline.id, document: document('warn') })
  const pushed = await runPipeline(pipeline.id, false)
  expect(pushed.status).toBe('succeeded')
  expect(rowsRead(pushed)).toBe(3)
  const after = await runPipeline(pipeline.id, false)
  expect(rowsRead(after)).toBe(0)
})
