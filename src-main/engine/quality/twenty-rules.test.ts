import { afterEach, beforeEach, expect, it } from 'vitest'
import type { NodeStats } from '../../../src-shared/run'
import { join } from 'node:path'
import { executePipeline } from '../run/execute'
import { createSandbox, mustValidate, type EngineSandbox } from '../test-support'
import { rowsOf } from './quality-test-data'
import { generatedCustomers, generatedOrders, handWrittenCounts, twentyRules } from './twenty-rules'

let sandbox: EngineSandbox
beforeEach(async () => {
  sandbox = await createSandbox()
})
afterEach(() => sandbox.close())

it('counts what a hand-written SQL query counts, for 20 rules on 1M rows', async () => {
  const at = { position: { x: 0, y: 0 } }
  const document = {
    formatVersion: 1,
    name: 'twenty rules',
    nodes: [
      {
        id: 'src',
        kind: 'source.csv',
        config: { path: sandbox.write('one.csv', 'x\n1\n') },
        ...at,
      },
      { ...rowsOf(generatedOrders(1_000_000), 'orders'), ...at },
      { ...rowsOf(generatedCustomers, 'customers'), ...at },
      { id: 'v', kind: 'quality.validate', config: { rules: twentyRules }, ...at },
    ],
    edges: [
      { from: { node: 'src', port: 'out' }, to: { node: 'orders', port: 'in' } },
      { from: { node: 'src', port: 'out' }, to: { node: 'customers', port: 'in' } },
      { from: { node: 'orders', port: 'out' }, to: { node: 'v', port: 'in' } },
      { from: { node: 'customers', port: 'out' }, to: { node: 'v', port: 'ref' } },
    ],
  }
  const { result } = await sandbox.run(document)
  expect(result.errors).toEqual([])
  const stats = result.nodes.find((node) => node.nodeId === 'v') as NodeStats
  const [expected = {}] = await sandbox.rows(handWrittenCounts('"orders__out"', '"customers__out"'))
  const counted = Object.fromEntries(
    (stats.quality?.rules ?? []).flatMap((rule) => {
      const name = rule.rule.replaceAll('-', '_')
      return [
        [`t_${name}`, rule.tested],
        [`f_${name}`, rule.failed],
      ]
    }),
  )
  expect({ rows: stats.rowsIn, failing: stats.rowsRejected, ...counted }).toEqual(expected)
  // Every rule found something to fail but the compound key, so no count is trivially equal.
  expect(stats.quality?.rules.filter((rule) => rule.failed === 0).map((rule) => rule.rule)).toEqual(
    ['uq-id-grp'],
  )
  expect(stats.outputs.fail?.rows).toBe(expected.failing)
  expect(stats.outputs.pass?.rows).toBe(1_000_000 - Number(expected.failing))
}, 120_000)

it('stops a running suite when the run is cancelled, leaving no results', async () => {
  const at = { position: { x: 0, y: 0 } }
  const document = {
    formatVersion: 1,
    name: 'cancelled',
    nodes: [
      {
        id: 'src',
        kind: 'source.csv',
        config: { path: sandbox.write('one.csv', 'x\n1\n') },
        ...at,
      },
      { ...rowsOf(generatedOrders(2_000_000), 'orders'), ...at },
      {
        id: 'v',
        kind: 'quality.validate',
        config: { rules: twentyRules.filter((rule) => rule.check !== 'referential') },
        ...at,
      },
    ],
    edges: [
      { from: { node: 'src', port: 'out' }, to: { node: 'orders', port: 'in' } },
      { from: { node: 'orders', port: 'out' }, to: { node: 'v', port: 'in' } },
    ],
  }
  const controller = new AbortController()
  const result = await executePipeline(mustValidate(document), {
    staging: sandbox.staging,
    baseDir: sandbox.dir,
    workDir: join(sandbox.dir, 'work'),
    signal: controller.signal,
    // Cancel once the suite has started its pass over the rows.
    onEvent: (event) => {
      if (event.type === 'node-started' && event.nodeId === 'v') {
        setTimeout(() => controller.abort(), 200)
      }
    },
  })
  expect(result.status).toBe('cancelled')
  const suite = result.nodes.find((node) => node.nodeId === 'v') as NodeStats
  expect(suite).toMatchObject({ status: 'cancelled', error: { code: 'CANCELLED' } })
  expect(suite.quality).toBeUndefined()
}, 120_000)
