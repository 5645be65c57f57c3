import type { DuckDBConnection } from '@duckdb/node-api'
import { engineSentence } from '../../../src-shared/errors'
import { patternPresets, type Rule, type RuleOf } from '../../../src-shared/quality'
import { quoteIdent } from '../duckdb/quote'
import { queryRows } from '../duckdb/query'
import type { ColumnInfo } from '../nodes/executor'
import { compileOutliers, compileReferential, compileUnique } from './context-rules'
import { isSeveralStatements, prepareOne } from './relations'
import {
  asText,
  badRule,
  isNumeric,
  isTemporal,
  nullFlag,
  ruleColumn,
  severalStatements,
  shownValue,
  text,
  type CompiledRowRule,
  type RuleSite,
} from './rule-input'

export type { CompiledRowRule } from './rule-input'

/** Compiles one row rule, checking its columns, bounds and regex against the input first. */
export async function compileRowRule(
  connection: DuckDBConnection,
  site: RuleSite,
  rule: Rule,
): Promise<CompiledRowRule> {
  switch (rule.check) {
    case 'not-null':
      return compileNotNull(site, rule)
    case 'unique':
      return compileUnique(site, rule)
    case 'accepted-values':
      return compileAcceptedValues(connection, site, rule)
    case 'range':
      return compileRange(connection, site, rule)
    case 'pattern':
      return compilePattern(connection, site, rule)
    case 'length':
      return compileLength(site, rule)
    case 'referential':
      return compileReferential(site, rule)
    case 'outliers':
      return compileOutliers(site, rule)
    case 'sql':
      return compileRowAssertion(connection, site, rule)
    default:
      throw new Error(`rule kind "${rule.check}" judges the dataset, not rows`)
  }
}

function compileNotNull(site: RuleSite, rule: RuleOf<'not-null'>): CompiledRowRule {
  const columns = rule.columns.map((name, i) => ruleColumn(site, rule, `columns[${i}]`, name))
  const blank = (column: ColumnInfo): string | null =>
    rule.blankIsNull && column.type === 'VARCHAR' ? `trim(${quoteIdent(column.name)}) = ''` : null
  const missing = columns.map((column) => {
    const test = blank(column)
    return `${quoteIdent(column.name)} IS NULL${test ? ` OR ${test}` : ''}`
  })
  const reasons = columns.map((column) => {
    const test = blank(column)
    const isNull = `WHEN ${quoteIdent(column.name)} IS NULL THEN ${text(`${column.name} is NULL`)}`
    return `CASE ${isNull}${test ? ` WHEN ${test} THEN ${text(`${column.name} is blank`)}` : ''} END`
  })
  return {
    rule,
    columns: rule.columns,
    flag: `(${missing.join(' OR ')})`,
    reason:
      reasons.length === 1 ? (reasons[0] as string) : `concat_ws(', ', ${reasons.join(', ')})`,
  }
}

/**
 * Values compared as the column holds them: numbers, dates, timestamps and booleans typed (so
 * DOUBLE 1 is the listed "1"), anything else as text, with `ignoreCase` comparing trimmed lower
 * case. A listed value that is not of a typed column's type is a config error naming it.
 */
async function compileAcceptedValues(
  connection: DuckDBConnection,
  site: RuleSite,
  rule: RuleOf<'accepted-values'>,
): Promise<CompiledRowRule> {
  const column = ruleColumn(site, rule, 'column', rule.column)
  const typed = isNumeric(column.type) || isTemporal(column.type) || column.type === 'BOOLEAN'
  let value: string
  let list: string
  if (typed) {
    const listed = rule.values.map((accepted) => text(accepted)).join(', ')
    const bad = await queryRows(
      connection,
      `SELECT v FROM (SELECT unnest([${listed}]) AS v) WHERE TRY_CAST(v AS ${column.type}) IS NULL`,
    )
    if (bad.length > 0) {
      const named = bad.slice(0, 5).map((row) => `"${String(row.v)}"`)
      throw badRule(
        site,
        rule,
        'values',
        `${named.join(', ')} cannot be read as ${column.type}, the type of column "${column.name}"`,
      )
    }
    value = quoteIdent(column.name)
    list = rule.values.map((accepted) => `CAST(${text(accepted)} AS ${column.type})`).join(', ')
  } else {
    value = rule.ignoreCase ? `lower(trim(${asText(column)}))` : asText(column)
    list = rule.values
      .map((accepted) => (rule.ignoreCase ? `lower(trim(${text(accepted)}))` : text(accepted)))
      .join(', ')
  }
  const shown = rule.values.slice(0, 5).map((accepted) => `"${accepted}"`)
  const more = rule.values.length > 5 ? ` and ${rule.values.length - 5} more` : ''
  return {
    rule,
    columns: [rule.column],
    flag: `CASE WHEN ${quoteIdent(column.name)} IS NULL THEN ${nullFlag(rule.nulls)} ELSE ${value} NOT IN (${list}) END`,
    reason: nullableReason(
      column,
      `${text(`${column.name} `)} || ${shownValue(column)} || ${text(` is not one of ${shown.join(', ')}${more}`)}`,
    ),
  }
}

async function compileRange(
  connection: DuckDBConnection,
  site: RuleSite,
  rule: RuleOf<'range'>,
): Promise<CompiledRowRule> {
  const column = ruleColumn(site, rule, 'column', rule.column)
  if (!isNumeric(column.type) && !isTemporal(column.type)) {
    throw badRule(
      site,
      rule,
      'column',
      `column "${column.name}" is ${column.type}; a range needs numbers, dates or timestamps (cast it first)`,
    )
  }
  const name = quoteIdent(column.name)
  const [below, above] = rule.inclusive ? ['<', '>'] : ['<=', '>=']
  const tests: string[] = []
  const reasons: string[] = []
  const value = `${text(`${column.name} `)} || ${shownValue(column)}`
  for (const [field, bound] of [
    ['min', rule.min],
    ['max', rule.max],
  ] as const) {
    if (bound === undefined) {
      continue
    }
    const literal = await castBound(connection, site, rule, field, bound, column)
    const test = `${name} ${field === 'min' ? below : above} ${literal}`
    const words =
      field === 'min'
        ? rule.inclusive
          ? 'is below the minimum'
          : 'is not above the minimum'
        : rule.inclusive
          ? 'is above the maximum'
          : 'is not below the maximum'
    tests.push(test)
    reasons.push(`WHEN ${test} THEN ${value} || ${text(` ${words} ${bound}`)}`)
  }
  return {
    rule,
    columns: [rule.column],
    flag: `CASE WHEN ${name} IS NULL THEN ${nullFlag(rule.nulls)} ELSE (${tests.join(' OR ')}) END`,
    reason: nullableReason(column, `CASE ${reasons.join(' ')} END`),
  }
}

/** A bound as a literal of the column's type; a bound that does not cast is a config error. */
async function castBound(
  connection: DuckDBConnection,
  site: RuleSite,
  rule: Rule,
  field: 'min' | 'max',
  bound: number | string,
  column: ColumnInfo,
): Promise<string> {
  if (typeof bound === 'number') {
    if (!isNumeric(column.type)) {
      throw badRule(
        site,
        rule,
        field,
        `${bound} is a number, but column "${column.name}" is ${column.type}; give the bound as an ISO date or timestamp`,
      )
    }
    return String(bound)
  }
  const literal = `TRY_CAST(${text(bound)} AS ${column.type})`
  const [row] = await queryRows(connection, `SELECT ${literal} IS NULL AS bad`)
  if (row?.bad !== false) {
    throw badRule(
      site,
      rule,
      field,
      `"${bound}" is not a ${column.type} like column "${column.name}"`,
    )
  }
  return `CAST(${text(bound)} AS ${column.type})`
}

async function compilePattern(
  connection: DuckDBConnection,
  site: RuleSite,
  rule: RuleOf<'pattern'>,
): Promise<CompiledRowRule> {
  const column = ruleColumn(site, rule, 'column', rule.column)
  const regex = rule.preset ? patternPresets[rule.preset] : (rule.regex ?? '')
  try {
    await queryRows(connection, `SELECT regexp_full_match('', ${text(regex)})`)
  } catch (thrown) {
    throw badRule(
      site,
      rule,
      'regex',
      `the regular expression is not valid: ${engineSentence(thrown)}`,
    )
  }
  const what = rule.preset ? `the ${rule.preset} pattern` : `the pattern ${regex}`
  return {
    rule,
    columns: [rule.column],
    flag: `CASE WHEN ${quoteIdent(column.name)} IS NULL THEN ${nullFlag(rule.nulls)} ELSE NOT regexp_full_match(${asText(column)}, ${text(regex)}) END`,
    reason: nullableReason(
      column,
      `${text(`${column.name} `)} || ${shownValue(column)} || ${text(` does not match ${what}`)}`,
    ),
  }
}

function compileLength(site: RuleSite, rule: RuleOf<'length'>): CompiledRowRule {
  const column = ruleColumn(site, rule, 'column', rule.column)
  const length = `length(${asText(column)})`
  const tests: string[] = []
  const reasons: string[] = []
  const characters = `CASE WHEN ${length} = 1 THEN ' character' ELSE ' characters' END`
  const value = `${text(`${column.name} `)} || ${shownValue(column)} || ' has ' || ${length} || ${characters} || ', '`
  if (rule.min !== undefined) {
    tests.push(`${length} < ${rule.min}`)
    reasons.push(
      `WHEN ${length} < ${rule.min} THEN ${value} || ${text(`fewer than the minimum ${rule.min}`)}`,
    )
  }
  if (rule.max !== undefined) {
    tests.push(`${length} > ${rule.max}`)
    reasons.push(
      `WHEN ${length} > ${rule.max} THEN ${value} || ${text(`more than the maximum ${rule.max}`)}`,
    )
  }
  return {
    rule,
    columns: [rule.column],
    flag: `CASE WHEN ${quoteIdent(column.name)} IS NULL THEN ${nullFlag(rule.nulls)} ELSE (${tests.join(' OR ')}) END`,
    reason: nullableReason(column, `CASE ${reasons.join(' ')} END`),
  }
}

async function compileRowAssertion(
  connection: DuckDBConnection,
  site: RuleSite,
  rule: RuleOf<'sql'>,
): Promise<CompiledRowRule> {
  // The line break ends a trailing `-- comment` before the closing parenthesis.
  const condition = `(${rule.expression}\n)`
  try {
    // Counted as the check will count it, so an aggregate condition is caught here too; only
    // prepared, so an expression smuggling in statements of its own is refused, not run.
    await prepareOne(
      connection,
      `SELECT count_if(NOT coalesce(${condition}, FALSE)) FROM ${site.input.ref} LIMIT 0`,
    )
  } catch (thrown) {
    if (isSeveralStatements(thrown)) {
      throw badRule(site, rule, 'expression', severalStatements)
    }
    const sentence = engineSentence(thrown)
    const hint = /aggregate/i.test(sentence)
      ? '; for a condition over all rows, choose the dataset scope'
      : ''
    throw badRule(site, rule, 'expression', `the condition does not run: ${sentence}${hint}`)
  }
  return {
    rule,
    columns: [],
    flag: `NOT coalesce(${condition}, FALSE)`,
    reason: text(`the condition ${rule.expression.replace(/\s+/g, ' ')} does not hold`),
  }
}

/** A reason for a rule whose NULLs may fail: a NULL value says so instead of vanishing. */
function nullableReason(column: ColumnInfo, reason: string): string {
  return `CASE WHEN ${quoteIdent(column.name)} IS NULL THEN ${text(`${column.name} is NULL`)} ELSE ${reason} END`
}
