import type { DuckDBConnection } from '@duckdb/node-api'
import { sluiceError, SluiceFailure } from '../../../src-shared/errors'
import type { NodeQuality, QualityWeights, Rule, RuleResult } from '../../../src-shared/quality'
import { quoteIdent } from '../duckdb/quote'
import { queryRows, runStatement } from '../duckdb/query'
import { onlyInput, type NodeContext, type NodeOutcome } from '../nodes/executor'
import { compileCheckQueries, countColumns, rowKey, type CheckQueries } from './compile-checks'
import { compileRowRule } from './compile-row-rules'
import { judgeDatasetRule, judgesDataset } from './dataset-rules'
import type { PreviousInput } from './history'
import { rowRuleResult } from './results'
import { severalStatements, type CompiledRowRule, type RuleSite } from './rule-input'
import { dropRelation, hasRowIds, isSeveralStatements, isTemporary, prepareOne } from './relations'
import { scoreQuality } from './scores'

/** The rules of a check node or a validate suite, and where each sits in the node's config. */
export interface CheckSuite {
  rules: Rule[]
  weights: QualityWeights
  /** The config field prefix of the i-th rule, e.g. `config.` or `config.rules[2].`. */
  fieldOf(index: number): string
}

/**
 * Applies a suite of rules to a node's input in one pass: every row rule is a boolean column of
 * one checked relation whose single aggregate gives all the counts, and `pass`/`fail` are its two
 * filters (views over a stored input, computed only when read; tables over a view input, whose
 * checked rows are computed once into a temporary table). Dataset rules are judged by their own
 * small queries. See RULES.md for what each rule does with NULLs.
 */
export async function runChecks(
  context: NodeContext<unknown>,
  suite: CheckSuite,
): Promise<NodeOutcome> {
  const { connection, node, signal } = context
  const input = onlyInput(context.inputs)
  const site = (index: number): RuleSite => ({
    nodeId: node.id,
    field: suite.fieldOf(index),
    index,
    input,
    ...(context.inputs.ref ? { ref: context.inputs.ref } : {}),
  })
  const compiled: Array<{ index: number; compiled: CompiledRowRule }> = []
  for (const [index, rule] of suite.rules.entries()) {
    if (!judgesDataset(rule)) {
      compiled.push({ index, compiled: await compileRowRule(connection, site(index), rule) })
    }
  }
  const rowRules = compiled.map((entry) => entry.compiled)
  const queries = compileCheckQueries(
    {
      relation: input,
      hasRowIds: await hasRowIds(connection, input.ref),
      temporary:
        (await isTemporary(connection, input.ref)) ||
        (context.inputs.ref !== undefined &&
          (await isTemporary(connection, context.inputs.ref.ref))),
      temporaryName: `sluice_checked_${node.id}`,
    },
    rowRules,
  )
  const countsTable = quoteIdent(`sluice_counts_${node.id}`)
  const progress = (sample: { percent: number; rows: number }): void =>
    context.progress({ percent: sample.percent, rows: sample.rows })
  try {
    if (queries.stage) {
      await runComposed(
        context,
        `CREATE OR REPLACE TEMP TABLE ${queries.stage.table} AS ${queries.stage.sql}`,
        progress,
      )
    }
    // Through a table, so the one long query of the node reports its progress.
    await runComposed(
      context,
      `CREATE OR REPLACE TEMP TABLE ${countsTable} AS ${queries.counts}`,
      progress,
    )
    const [counts = {}] = await queryRows(connection, `SELECT * FROM ${countsTable}`, signal)
    const rows = Number(counts.rows ?? 0)
    const failing = Number(counts.failing ?? 0)
    const samples = await sampleRows(
      connection,
      queries,
      countsTable,
      counts,
      rowRules.length,
      signal,
    )
    for (const [port, sql] of [
      ['pass', queries.pass],
      ['fail', queries.fail],
    ] as const) {
      const relation = context.outputs[port] as string
      await dropRelation(connection, relation)
      await runComposed(
        context,
        `CREATE ${queries.materialise ? 'TABLE' : 'VIEW'} ${relation} AS ${sql}`,
      )
    }

    const results: RuleResult[] = []
    const previous = await previousInput(context, suite.rules)
    for (const [index, rule] of suite.rules.entries()) {
      const k = compiled.findIndex((entry) => entry.index === index)
      const row = compiled[k]
      if (!row) {
        const facts = { connection, site: site(index), rows, previous, now: Date.now() }
        results.push(await judgeDatasetRule(facts, rule))
        continue
      }
      const tested = Number(counts[countColumns.tested(k)] ?? 0)
      const failed = Number(counts[countColumns.failed(k)] ?? 0)
      results.push(
        rowRuleResult(rule, row.compiled.columns, { rows, tested, failed }, samples.get(k) ?? []),
      )
    }
    const fills = input.columns.map((column, c) => ({
      name: column.name,
      filled: Number(counts[countColumns.filled(c)] ?? 0),
    }))
    const quality: NodeQuality = {
      rules: results,
      score: scoreQuality(results, fills, rows, suite.weights),
      schema: input.columns.map((column) => ({ name: column.name, type: column.type })),
      ...blockedBy(results),
    }
    const warned = results.filter((result) => result.status === 'warned')
    return {
      quality,
      ...(warned.length > 0
        ? { warnings: warned.map((result) => `Rule "${result.rule}" warned: ${result.message}.`) }
        : {}),
      rowsRejected: failing,
      portRows: { pass: rows - failing, fail: failing },
    }
  } finally {
    await connection.run(`DROP TABLE IF EXISTS ${countsTable}`)
    if (queries.stage) {
      await connection.run(`DROP TABLE IF EXISTS ${queries.stage.table}`)
    }
  }
}

/**
 * Runs one statement built around the rules' SQL, prepared first: each SQL rule was checked to be
 * one expression, and this makes sure no statement slipped in where the expressions were joined.
 */
async function runComposed(
  context: NodeContext<unknown>,
  sql: string,
  progress?: (sample: { percent: number; rows: number }) => void,
): Promise<void> {
  const { connection, node, signal } = context
  try {
    await prepareOne(connection, sql)
  } catch (thrown) {
    if (isSeveralStatements(thrown)) {
      const field = 'config'
      const reason = `a SQL rule is not one expression: ${severalStatements}`
      throw new SluiceFailure(
        sluiceError('BAD_CONFIG', { node: node.id, field, reason }, { nodeId: node.id, field }),
      )
    }
    throw thrown
  }
  await runStatement(connection, sql, signal, progress)
}

/** Why a `block` rule that missed its threshold stops the pushes downstream; nothing if none. */
function blockedBy(results: RuleResult[]): { blocked?: string } {
  const blocking = results.filter((result) => result.status === 'blocked')
  if (blocking.length === 0) {
    return {}
  }
  return { blocked: blocking.map((result) => `${result.rule}: ${result.message}`).join('; ') }
}

/** The input in the last successful run, fetched only when a rule compares with it. */
async function previousInput(
  context: NodeContext<unknown>,
  rules: Rule[],
): Promise<PreviousInput | null> {
  const compares = rules.some(
    (rule) =>
      rule.check === 'schema-drift' ||
      (rule.check === 'row-count' && rule.maxChangePercent !== undefined),
  )
  return compares ? context.history.previous(context.node.id) : null
}

/** Up to five failing rows per rule: unnested from the counts, or fetched by row key at once. */
async function sampleRows(
  connection: DuckDBConnection,
  { samples }: CheckQueries,
  countsTable: string,
  counts: Record<string, unknown>,
  rules: number,
  signal: AbortSignal,
): Promise<Map<number, Array<Record<string, unknown>>>> {
  const byRule = new Map<number, Array<Record<string, unknown>>>()
  const failing = (k: number): boolean => Number(counts[countColumns.failed(k)] ?? 0) > 0
  if (samples.inPass) {
    for (let k = 0; k < rules; k += 1) {
      byRule.set(
        k,
        failing(k) ? await queryRows(connection, samples.rows(countsTable, k), signal) : [],
      )
    }
    return byRule
  }
  const keysOf = (k: number): number[] => {
    const keys = counts[countColumns.samples(k)]
    return Array.isArray(keys) ? keys.map(Number) : []
  }
  const wanted = new Set<number>()
  for (let k = 0; k < rules; k += 1) {
    keysOf(k).forEach((key) => wanted.add(key))
  }
  if (wanted.size === 0) {
    return byRule
  }
  const found = await queryRows(connection, samples.lookup(`(${[...wanted].join(', ')})`), signal)
  const byKey = new Map<number, Record<string, unknown>>()
  const keyName = rowKey.slice(1, -1)
  for (const row of found) {
    const key = Number(row[keyName])
    delete row[keyName]
    byKey.set(key, row)
  }
  for (let k = 0; k < rules; k += 1) {
    byRule.set(
      k,
      keysOf(k).flatMap((key) => {
        const row = byKey.get(key)
        return row ? [{ ...row }] : []
      }),
    )
  }
  return byRule
}
