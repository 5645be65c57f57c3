import { sluiceError, SluiceFailure } from '../../../src-shared/errors'
import type { NullPolicy, Rule } from '../../../src-shared/quality'
import { quoteIdent, quoteLiteral } from '../duckdb/quote'
import type { ColumnInfo, InputRelation } from '../nodes/executor'

/**
 * What compiling a rule needs to know about where it lives: the node (for error messages), the
 * config field its rule sits under (`config.` for a single check, `config.rules[2].` in a suite),
 * and the relations it reads.
 */
export interface RuleSite {
  nodeId: string
  /** Prefix of the rule's fields in the node config, e.g. `config.rules[2].`. */
  field: string
  /** Index of the rule among the node's rules: names its helper columns and joins. */
  index: number
  input: InputRelation
  /** The second input of a referential rule. */
  ref?: InputRelation
}

/** A BAD_CONFIG failure naming the node, the rule's field and the rule. */
export function badRule(site: RuleSite, rule: Rule, field: string, reason: string): SluiceFailure {
  return new SluiceFailure(
    sluiceError(
      'BAD_CONFIG',
      {
        node: site.nodeId,
        field: `${site.field}${field}`,
        reason: `rule "${rule.name}": ${reason}`,
      },
      { nodeId: site.nodeId, field: `${site.field}${field}` },
    ),
  )
}

/** Why a SQL rule's expression is refused when it holds more than one statement. */
export const severalStatements =
  'the condition must be one SQL expression; it holds several statements (a ";" ends one)'

/** The input column a rule names, or a clear error listing the columns there are. */
export function ruleColumn(
  site: RuleSite,
  rule: Rule,
  field: string,
  name: string,
  relation: InputRelation = site.input,
): ColumnInfo {
  const column = relation.columns.find((candidate) => candidate.name === name)
  if (!column) {
    const known = relation.columns.map((candidate) => candidate.name).join(', ')
    throw badRule(site, rule, field, `there is no column "${name}" (the columns are: ${known})`)
  }
  return column
}

const numericType =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL.*)$/
const temporalType = /^(DATE|TIMESTAMP.*)$/

/** Whether DuckDB's type is a number of any width. */
export function isNumeric(type: string): boolean {
  return numericType.test(type)
}

/** Whether DuckDB's type is a date or a timestamp (with or without a time zone). */
export function isTemporal(type: string): boolean {
  return temporalType.test(type)
}

/** The column as SQL text: itself when it already is text, else cast. */
export function asText(column: ColumnInfo): string {
  const name = quoteIdent(column.name)
  return column.type === 'VARCHAR' ? name : `CAST(${name} AS VARCHAR)`
}

/**
 * A value as a reason shows it: text in double quotes (so a blank or a trailing space is seen),
 * anything else as DuckDB prints it.
 */
export function shownValue(column: ColumnInfo, sql = quoteIdent(column.name)): string {
  return column.type === 'VARCHAR' ? `('"' || ${sql} || '"')` : `CAST(${sql} AS VARCHAR)`
}

/** Several key values as one reason fragment: `17`, or `(1, "x")` for a compound key. */
export function shownKey(columns: ColumnInfo[], sqlOf: (column: ColumnInfo) => string): string {
  if (columns.length === 1) {
    const only = columns[0] as ColumnInfo
    return shownValue(only, sqlOf(only))
  }
  const parts = columns.map((column) => shownValue(column, sqlOf(column)))
  return `('(' || concat_ws(', ', ${parts.join(', ')}) || ')')`
}

/** Column names as a reason names them: `order_id`, or `(order_id, line)`. */
export function columnLabel(names: readonly string[]): string {
  return names.length === 1 ? (names[0] as string) : `(${names.join(', ')})`
}

/** A SQL text literal (the helper in one word, for building reasons). */
export const text = quoteLiteral

/**
 * A row rule as SQL over the checked relation (the input's columns plus any helper columns its
 * context adds). `flag` is TRUE where a row fails, FALSE where it passes and NULL where the rule
 * skips it, so `count(flag)` is the rows tested and `count_if(flag)` the rows failed.
 */
export interface CompiledRowRule {
  rule: Rule
  /** The input columns the rule tests. */
  columns: string[]
  flag: string
  /** Why a row failed, as SQL text; only read where `flag` is TRUE. */
  reason: string
  /** Rules judged against other rows (unique, referential, outliers): joins onto the input `i`. */
  context?: { joins: string[]; columns: string[] }
}

/** What a NULL gives under a rule's null policy: skipped (NULL) or failed (TRUE). */
export function nullFlag(nulls: NullPolicy): string {
  return nulls === 'fail' ? 'TRUE' : 'NULL'
}
