import type { RuleResult } from '../../../src-shared/quality'
import type { NodeStats, RunResult } from '../../../src-shared/run'
import type { ChainedNode, EngineSandbox } from '../test-support'

/**
 * Five people, crafted so every rule kind has passes, failures and NULLs to count by hand:
 * name has a NULL (2), a blank (3) and a differently-cased value (5); amount a NULL (4), one over
 * 1000 (2), one below 0 (3) and one on the bound 1000 (5); email a NULL (3) and a bad one (2);
 * code lengths 2, 6, 1, NULL, 3; day one NULL (3), one before January (2), one after (4).
 */
export const people = `SELECT * FROM (VALUES
  (1, 'ann', 5, 'a@b.co', 'AB', DATE '2024-01-05'),
  (2, NULL, 1500, 'x@', 'ABCDEF', DATE '2023-12-31'),
  (3, '  ', -1, NULL, 'A', NULL),
  (4, 'bob', NULL, 'c@d.org', NULL, DATE '2024-02-01'),
  (5, 'Ann ', 1000, 'e@f.io', 'ABC', DATE '2024-01-01')
) t(id, name, amount, email, code, day)`

/** A node producing exactly the rows of `sql` (its input, a one-line CSV, is ignored). */
export function rowsOf(sql: string, id = 'data'): ChainedNode {
  return { id, kind: 'transform.sql', config: { inputs: ['in'], sql } }
}

/** What a check node reported, and its pass and fail rows (ids only when `ids`). */
export interface CheckedRows {
  result: RunResult
  stats: NodeStats
  rule: RuleResult
  pass(): Promise<Array<Record<string, unknown>>>
  fail(): Promise<Array<Record<string, unknown>>>
}

/** Runs the rows of `sql` through a node `chk` of `kind` (e.g. `check.range`) with `config`. */
export async function runCheck(
  sandbox: EngineSandbox,
  sql: string,
  kind: string,
  config: Record<string, unknown>,
): Promise<CheckedRows> {
  const result = await sandbox.runOn('x\n1\n', [rowsOf(sql), { id: 'chk', kind, config }])
  const stats = result.nodes.find((node) => node.nodeId === 'chk') as NodeStats
  return {
    result,
    stats,
    rule: stats.quality?.rules[0] as RuleResult,
    pass: () => sandbox.port('chk', 'pass'),
    fail: () => sandbox.port('chk', 'fail'),
  }
}

/** The ids of rows, in order. */
export const ids = (rows: Array<Record<string, unknown>>): unknown[] => rows.map((row) => row.id)
