import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { DuckDBConnection } from '@duckdb/node-api'
import { noDatabaseAccess } from '../connectors/database/access'
import { queryRows } from '../duckdb/query'
import type { NodeOutcome } from '../nodes/executor'
import { chain, createSandbox, mustValidate, type EngineSandbox } from '../test-support'
import { noQualityHistory } from './history'
import { runChecks } from './run-checks'

let sandbox: EngineSandbox
let connection: DuckDBConnection
beforeEach(async () => {
  sandbox = await createSandbox()
  connection = await sandbox.staging.connect()
})
afterEach(() => {
  connection.closeSync()
  sandbox.close()
})

/** Runs a validate suite of `rules` straight over the relation `ref`, as a run would. */
async function validate(ref: string, rules: Array<Record<string, unknown>>): Promise<NodeOutcome> {
  const columns = await queryRows(connection, `DESCRIBE ${ref}`)
  const node = mustValidate(
    chain(
      { id: 'src', kind: 'source.csv', config: { path: 'unused.csv' } },
      { id: 'chk', kind: 'quality.validate', config: { rules } },
    ),
  ).nodes[1]
  if (!node) {
    throw new Error('no node')
  }
  const config = node.config as { rules: never[]; weights: Record<string, number> }
  return runChecks(
    {
      node,
      config,
      inputs: {
        in: {
          ref,
          columns: columns.map((row) => ({
            name: String(row.column_name),
            type: String(row.column_type),
          })),
        },
      },
      outputs: { pass: '"chk__pass"', fail: '"chk__fail"' },
      connection,
      baseDir: sandbox.dir,
      workDir: sandbox.dir,
      signal: new AbortController().signal,
      databases: noDatabaseAccess,
      history: noQualityHistory,
      upstreamQuality: [],
      progress: () => undefined,
      log: () => undefined,
    },
    { rules: config.rules, weights: config.weights, fieldOf: (i) => `config.rules[${i}].` },
  )
}

describe('a check over a view', () => {
  it('shows as samples only rows that really fail, over a view on a parallel aggregate', async () => {
    // 300,000 groups whose order out of the hash aggregate changes from one read to the next;
    // 300 of them (k a multiple of 1,000) fail the rule.
    await connection.run(
      `CREATE VIEW grouped AS SELECT i % 300000 AS k, count(*) AS n FROM range(600000) r(i) GROUP BY ALL`,
    )
    for (let attempt = 0; attempt < 4; attempt += 1) {
      const outcome = await validate('"grouped"', [
        { name: 'round', check: 'sql', expression: 'k % 1000 <> 0', severity: 'warn' },
      ])
      const rule = outcome.quality?.rules[0]
      expect(rule).toMatchObject({ tested: 300000, failed: 300, status: 'warned' })
      expect(rule?.samples).toHaveLength(5)
      for (const sample of rule?.samples ?? []) {
        expect(Number(sample.k) % 1000).toBe(0)
        expect(sample).toEqual({ k: sample.k, n: 2 })
      }
    }
  })

  it('shows as samples only rows that really fail, over a view whose order changes each read', async () => {
    // A shuffled view: two reads of it number its rows differently.
    await connection.run(
      `CREATE VIEW shuffled AS SELECT i AS k, i * 2 AS n, CASE WHEN i % 1000 = 0 THEN -1 ELSE i END AS g FROM range(20000) r(i) ORDER BY random()`,
    )
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const outcome = await validate('"shuffled"', [
        { name: 'round', check: 'sql', expression: 'k % 1000 <> 0', severity: 'warn' },
        { name: 'repeated', check: 'unique', columns: ['g'], severity: 'warn' },
      ])
      const rule = outcome.quality?.rules[0]
      expect(rule).toMatchObject({ tested: 20000, failed: 20 })
      expect(rule?.samples).toHaveLength(5)
      // The unique rule joins the duplicated keys onto the rows: the 20 rows with g = -1 fail.
      const repeated = outcome.quality?.rules[1]
      expect(repeated).toMatchObject({ tested: 20000, failed: 20 })
      for (const sample of [...(rule?.samples ?? []), ...(repeated?.samples ?? [])]) {
        expect(sample).toEqual({ k: sample.k, n: Number(sample.k) * 2, g: -1 })
        expect(Number(sample.k) % 1000).toBe(0)
      }
    }
  })
})
