import type { RuleOf } from '../../../src-shared/quality'
import { quoteIdent } from '../duckdb/quote'
import type { ColumnInfo } from '../nodes/executor'
import {
  badRule,
  columnLabel,
  isNumeric,
  isTemporal,
  nullFlag,
  ruleColumn,
  shownKey,
  shownValue,
  text,
  type CompiledRowRule,
  type RuleSite,
} from './rule-input'

/**
 * Rules that judge a row against other rows. Each joins one small keyed relation onto the input
 * (aliased `i`): the duplicated keys with their counts, the distinct reference keys, or the mean
 * and spread of each group. Joins rather than windows over whole rows, since DuckDB's hash joins
 * and aggregates spill to disk and a window over 10M wide rows does not fit a 1 GiB limit.
 */

/** The helper column a rule adds to the checked relation. */
function helper(site: RuleSite, name: string): string {
  return quoteIdent(`__sluice_q${site.index}_${name}`)
}

const alias = (site: RuleSite): string => `q${site.index}`

/** `a IS NULL OR b IS NULL` over the input's key columns. */
function anyNull(columns: ColumnInfo[]): string {
  return columns.map((column) => `${quoteIdent(column.name)} IS NULL`).join(' OR ')
}

/** Which key columns are NULL, as a reason. */
function nullKeyReason(columns: ColumnInfo[]): string {
  const parts = columns.map(
    (column) =>
      `CASE WHEN ${quoteIdent(column.name)} IS NULL THEN ${text(`${column.name} is NULL`)} END`,
  )
  return `concat_ws(', ', ${parts.join(', ')})`
}

/** Every copy of a repeated key fails; a key holding a NULL is skipped or fails by `nulls`. */
export function compileUnique(site: RuleSite, rule: RuleOf<'unique'>): CompiledRowRule {
  const columns = rule.columns.map((name, i) => ruleColumn(site, rule, `columns[${i}]`, name))
  const keys = columns.map((column, k) => `${quoteIdent(column.name)} AS k${k}`).join(', ')
  const on = columns.map((column, k) => `i.${quoteIdent(column.name)} = ${alias(site)}.k${k}`)
  const copies = helper(site, 'copies')
  const label = text(`${columnLabel(rule.columns)} `)
  const key = shownKey(columns, (column) => quoteIdent(column.name))
  return {
    rule,
    columns: rule.columns,
    flag: `CASE WHEN ${anyNull(columns)} THEN ${nullFlag(rule.nulls)} ELSE ${copies} IS NOT NULL END`,
    reason: `CASE WHEN ${anyNull(columns)} THEN ${nullKeyReason(columns)} ELSE ${label} || ${key} || ' appears ' || ${copies} || ' times' END`,
    context: {
      joins: [
        `LEFT JOIN (SELECT ${keys}, count(*) AS copies FROM ${site.input.ref} GROUP BY ALL HAVING count(*) > 1) ${alias(site)} ON ${on.join(' AND ')}`,
      ],
      columns: [`${alias(site)}.copies AS ${copies}`],
    },
  }
}

/** Every key must exist among the distinct keys of the `ref` input; a NULL key per `nulls`. */
export function compileReferential(site: RuleSite, rule: RuleOf<'referential'>): CompiledRowRule {
  const ref = site.ref
  if (!ref) {
    throw badRule(site, rule, 'refColumns', 'connect the reference rows to the "ref" input')
  }
  const columns = rule.columns.map((name, i) => ruleColumn(site, rule, `columns[${i}]`, name))
  const refColumns = rule.refColumns.map((name, i) =>
    ruleColumn(site, rule, `refColumns[${i}]`, name, ref),
  )
  const types = columns.map((column, k) =>
    keyComparison(site, rule, k, column, refColumns[k] as ColumnInfo),
  )
  const keys = refColumns.map((column, k) => `${asKey(quoteIdent(column.name), types[k])} AS k${k}`)
  const on = columns.map(
    (column, k) => `${asKey(`i.${quoteIdent(column.name)}`, types[k])} = ${alias(site)}.k${k}`,
  )
  const found = helper(site, 'found')
  const where =
    rule.refColumns.length === 1
      ? `ref.${rule.refColumns[0]}`
      : `ref ${columnLabel(rule.refColumns)}`
  const key = shownKey(columns, (column) => quoteIdent(column.name))
  return {
    rule,
    columns: rule.columns,
    flag: `CASE WHEN ${anyNull(columns)} THEN ${nullFlag(rule.nulls)} ELSE ${found} IS NULL END`,
    reason: `CASE WHEN ${anyNull(columns)} THEN ${nullKeyReason(columns)} ELSE ${text(`${columnLabel(rule.columns)} `)} || ${key} || ${text(` is not in ${where}`)} END`,
    context: {
      joins: [
        `LEFT JOIN (SELECT DISTINCT ${keys.join(', ')}, TRUE AS found FROM ${ref.ref}) ${alias(site)} ON ${on.join(' AND ')}`,
      ],
      columns: [`${alias(site)}.found AS ${found}`],
    },
  }
}

/** A key as SQL of the type both sides are compared in; as it is when that type is undefined. */
function asKey(sql: string, type: string | undefined): string {
  return type ? `CAST(${sql} AS ${type})` : sql
}

/** The scale of a DECIMAL(p,s) type; 0 for any other number. */
function scaleOf(type: string): number {
  return Number(/^DECIMAL\(\d+,\s*(\d+)\)$/.exec(type)?.[1] ?? 0)
}

/**
 * The type a key and its reference key are compared in: undefined (as they are) when the types
 * match, both are integers or both are dates or timestamps; a number type wide enough for both
 * when they are numbers (17 = 17.0 = 17.00); text when exactly one side is text (an id read as
 * text). Keys that cannot be compared otherwise are a config error naming both columns.
 */
function keyComparison(
  site: RuleSite,
  rule: RuleOf<'referential'>,
  k: number,
  column: ColumnInfo,
  refColumn: ColumnInfo,
): string | undefined {
  const [mine, theirs] = [column.type, refColumn.type]
  if (mine === theirs || (isTemporal(mine) && isTemporal(theirs))) {
    return undefined
  }
  if (isNumeric(mine) && isNumeric(theirs)) {
    const inexact = /^(FLOAT|DOUBLE)$/
    if (inexact.test(mine) || inexact.test(theirs)) {
      return 'DOUBLE'
    }
    if (mine.startsWith('DECIMAL') || theirs.startsWith('DECIMAL')) {
      return `DECIMAL(38,${Math.max(scaleOf(mine), scaleOf(theirs))})`
    }
    return undefined
  }
  if ((mine === 'VARCHAR') !== (theirs === 'VARCHAR')) {
    return 'VARCHAR'
  }
  throw badRule(
    site,
    rule,
    `refColumns[${k}]`,
    `column "${column.name}" is ${mine} but ref column "${refColumn.name}" is ${theirs}; cast one of them first`,
  )
}

/** Values far from their group's mean (z-score) or outside its quartiles (IQR); NULLs skipped. */
export function compileOutliers(site: RuleSite, rule: RuleOf<'outliers'>): CompiledRowRule {
  const column = ruleColumn(site, rule, 'column', rule.column)
  if (!isNumeric(column.type)) {
    throw badRule(
      site,
      rule,
      'column',
      `column "${column.name}" is ${column.type}; outliers are found among numbers (cast it first)`,
    )
  }
  const groups = rule.groupBy.map((name, i) => ruleColumn(site, rule, `groupBy[${i}]`, name))
  const value = `CAST(${quoteIdent(column.name)} AS DOUBLE)`
  const a = alias(site)
  const keys = groups.map((group, k) => `${quoteIdent(group.name)} AS g${k}`)
  const join = (stats: string): string => {
    const from = `(SELECT ${[...keys, stats].join(', ')} FROM ${site.input.ref}${groups.length > 0 ? ' GROUP BY ALL' : ''})`
    if (groups.length === 0) {
      return `CROSS JOIN ${from} ${a}`
    }
    const on = groups.map(
      (group, k) => `i.${quoteIdent(group.name)} IS NOT DISTINCT FROM ${a}.g${k}`,
    )
    return `LEFT JOIN ${from} ${a} ON ${on.join(' AND ')}`
  }
  const shown = `${text(`${column.name} `)} || ${shownValue(column)}`
  const inGroup = groups.length > 0 ? ' of its group' : ''
  if (rule.method === 'zscore') {
    const threshold = rule.threshold ?? 3
    const [mean, spread] = [helper(site, 'mean'), helper(site, 'sd')]
    const distance = `abs(${value} - ${mean}) / ${spread}`
    return {
      rule,
      columns: [rule.column],
      flag: `CASE WHEN ${value} IS NULL THEN NULL WHEN ${spread} IS NULL OR ${spread} = 0 THEN FALSE ELSE ${distance} > ${threshold} END`,
      reason: `${shown} || ' is ' || round(${distance}, 1) || ${text(` standard deviations from the mean${inGroup} `)} || round(${mean}, 2) || ${text(` (more than ${threshold})`)}`,
      context: {
        joins: [join(`avg(${value}) AS mean, stddev_samp(${value}) AS sd`)],
        columns: [`${a}.mean AS ${mean}`, `${a}.sd AS ${spread}`],
      },
    }
  }
  const threshold = rule.threshold ?? 1.5
  const [low, high] = [helper(site, 'low'), helper(site, 'high')]
  const quartiles = `quantile_cont(${value}, [0.25, 0.75])`
  const stats =
    `${quartiles}[1] - ${threshold} * (${quartiles}[2] - ${quartiles}[1]) AS low, ` +
    `${quartiles}[2] + ${threshold} * (${quartiles}[2] - ${quartiles}[1]) AS high`
  return {
    rule,
    columns: [rule.column],
    // Quartiles that coincide (or a group with no values) give no spread: like a zero deviation,
    // nothing is an outlier there, rather than every value off the common one.
    flag: `CASE WHEN ${value} IS NULL THEN NULL WHEN ${low} IS NULL OR ${high} <= ${low} THEN FALSE ELSE ${value} < ${low} OR ${value} > ${high} END`,
    reason: `${shown} || ${text(` is outside the usual range${inGroup} [`)} || round(${low}, 2) || ', ' || round(${high}, 2) || ${text(`] (${threshold} interquartile ranges beyond the quartiles)`)}`,
    context: {
      joins: [join(stats)],
      columns: [`${a}.low AS ${low}`, `${a}.high AS ${high}`],
    },
  }
}
