import type { DuckDBConnection } from '@duckdb/node-api'
import { engineSentence } from '../../../src-shared/errors'
import type { Rule, RuleOf, RuleResult } from '../../../src-shared/quality'
import { quoteIdent } from '../duckdb/quote'
import { queryRows } from '../duckdb/query'
import type { PreviousInput } from './history'
import { datasetRuleResult, formatCount } from './results'
import { isSeveralStatements, prepareOne } from './relations'
import { badRule, isTemporal, ruleColumn, severalStatements, type RuleSite } from './rule-input'

/** What judging a dataset rule needs besides the rule. */
export interface DatasetFacts {
  connection: DuckDBConnection
  site: RuleSite
  rows: number
  /** The input as the last successful run saw it, or null on a first run (or a preview). */
  previous: PreviousInput | null
  /** Now, in milliseconds since the epoch (a parameter so tests can fix the clock). */
  now: number
}

/** Whether a rule judges the whole dataset rather than each row. */
export function judgesDataset(rule: Rule): boolean {
  return (
    rule.check === 'row-count' ||
    rule.check === 'freshness' ||
    rule.check === 'schema-drift' ||
    (rule.check === 'sql' && rule.scope === 'dataset')
  )
}

/** Judges a row-count, freshness, schema-drift or dataset SQL rule. */
export async function judgeDatasetRule(facts: DatasetFacts, rule: Rule): Promise<RuleResult> {
  switch (rule.check) {
    case 'row-count':
      return judgeRowCount(facts, rule)
    case 'freshness':
      return judgeFreshness(facts, rule)
    case 'schema-drift':
      return judgeSchemaDrift(facts, rule)
    case 'sql':
      return judgeAssertion(facts, rule)
    default:
      throw new Error(`rule kind "${rule.check}" judges rows, not the dataset`)
  }
}

const firstRun = 'there is no earlier successful run to compare with'

function judgeRowCount({ rows, previous }: DatasetFacts, rule: RuleOf<'row-count'>): RuleResult {
  const problems: string[] = []
  const notes: string[] = []
  if (rule.min !== undefined && rows < rule.min) {
    problems.push(`fewer than the minimum ${formatCount(rule.min)}`)
  }
  if (rule.max !== undefined && rows > rule.max) {
    problems.push(`more than the maximum ${formatCount(rule.max)}`)
  }
  if (rule.maxChangePercent !== undefined) {
    if (!previous) {
      notes.push(firstRun)
    } else {
      const change =
        previous.rows === 0
          ? rows === 0
            ? 0
            : Infinity
          : ((rows - previous.rows) / previous.rows) * 100
      const size = Number.isFinite(change)
        ? `${Math.round(Math.abs(change) * 10) / 10}%`
        : 'infinitely'
      const sentence = `${size} ${change < 0 ? 'fewer' : 'more'} than the ${formatCount(previous.rows)} of the last successful run (at most ${rule.maxChangePercent}% allowed)`
      ;(Math.abs(change) > rule.maxChangePercent ? problems : notes).push(sentence)
    }
  }
  const said = [...problems, ...notes]
  const message = `${formatCount(rows)} rows${said.length > 0 ? `: ${said.join('; ')}` : ''}`
  return datasetRuleResult(rule, [], problems.length === 0, message)
}

async function judgeFreshness(
  { connection, site, now }: DatasetFacts,
  rule: RuleOf<'freshness'>,
): Promise<RuleResult> {
  const column = ruleColumn(site, rule, 'column', rule.column)
  if (!isTemporal(column.type)) {
    throw badRule(
      site,
      rule,
      'column',
      `column "${column.name}" is ${column.type}; freshness needs a date or timestamp column (cast it first)`,
    )
  }
  const name = quoteIdent(column.name)
  // epoch() reads a timestamp without a time zone as UTC, and a date as its midnight UTC.
  const [row] = await queryRows(
    connection,
    `SELECT CAST(max(${name}) AS VARCHAR) AS newest, epoch(max(${name})) AS seconds FROM ${site.input.ref}`,
  )
  if (row?.newest === null || row?.newest === undefined) {
    return datasetRuleResult(rule, [rule.column], false, `${column.name} has no values`)
  }
  const hours = (now / 1000 - Number(row.seconds)) / 3600
  const age = `${Math.round(hours * 10) / 10} hours old`
  const message = `the newest ${column.name}, ${String(row.newest)}, is ${age} (at most ${rule.maxAgeHours} allowed)`
  return datasetRuleResult(rule, [rule.column], hours <= rule.maxAgeHours, message)
}

function judgeSchemaDrift(
  { site, previous }: DatasetFacts,
  rule: RuleOf<'schema-drift'>,
): RuleResult {
  if (!previous) {
    return datasetRuleResult(rule, [], true, `${firstRun}; the schema is recorded`)
  }
  const before = new Map(previous.schema.map((column) => [column.name, column.type]))
  const now = new Map(site.input.columns.map((column) => [column.name, column.type]))
  const changes = {
    added: [...now]
      .filter(([name]) => !before.has(name))
      .map(([name, type]) => `${name} (${type})`),
    removed: [...before].filter(([name]) => !now.has(name)).map(([name]) => name),
    retyped: [...now]
      .filter(([name, type]) => before.has(name) && before.get(name) !== type)
      .map(([name, type]) => `${name} ${String(before.get(name))} → ${type}`),
  }
  const listed = (Object.keys(changes) as Array<keyof typeof changes>).filter(
    (kind) => changes[kind].length > 0,
  )
  if (listed.length === 0) {
    return datasetRuleResult(
      rule,
      [],
      true,
      'the columns are the same as in the last successful run',
    )
  }
  const described = listed.map((kind) => `${kind}: ${changes[kind].join(', ')}`).join('; ')
  const refused = listed.filter((kind) => !rule.allow.includes(kind))
  const message =
    refused.length > 0
      ? `the columns changed since the last successful run: ${described}`
      : `the columns changed only as allowed: ${described}`
  return datasetRuleResult(rule, [], refused.length === 0, message)
}

async function judgeAssertion(
  { connection, site }: DatasetFacts,
  rule: RuleOf<'sql'>,
): Promise<RuleResult> {
  let rows: Array<Record<string, unknown>>
  // The line break ends a trailing `-- comment` before the closing parenthesis. Beside count(*),
  // a condition reading a column outside an aggregate is refused when bound, however many rows
  // there are (even none or one), and one that aggregates gives exactly one row.
  const sql = `SELECT CAST((${rule.expression}\n) AS BOOLEAN) AS holds, count(*) AS "rows" FROM ${site.input.ref}`
  try {
    // Prepared first, so an expression smuggling in statements of its own is refused, not run.
    await prepareOne(connection, sql)
    rows = await queryRows(connection, sql)
  } catch (thrown) {
    if (isSeveralStatements(thrown)) {
      throw badRule(site, rule, 'expression', severalStatements)
    }
    const sentence = engineSentence(thrown)
    if (
      /must appear in the GROUP BY clause|must be part of an aggregate function/i.test(sentence)
    ) {
      const column = /column "((?:[^"]|"")+)"/i.exec(sentence)?.[1]
      const outside = column ? `, but column "${column}" is read outside one` : ''
      throw badRule(
        site,
        rule,
        'scope',
        `a dataset condition must aggregate the rows, e.g. sum(amount) > 0${outside}; choose the row scope for a condition on each row`,
      )
    }
    throw badRule(site, rule, 'expression', `the condition does not run: ${sentence}`)
  }
  const row = rows[0]
  const condition = rule.expression.replace(/\s+/g, ' ')
  const holds = row?.holds === true
  return datasetRuleResult(
    rule,
    [],
    holds,
    `the condition ${condition} ${holds ? 'holds' : row?.holds === null ? 'is NULL' : 'does not hold'}`,
  )
}
