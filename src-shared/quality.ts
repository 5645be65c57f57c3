import { z } from 'zod'

/**
 * Data quality: the rules a check node or a validate suite applies, what each one found, and the
 * scores built from them. Rules compile to SQL in `src-main/engine/quality`; this file is the one
 * typed contract the engine, the store, the CLI and the UI share.
 */

/**
 * What a rule that misses its threshold does: `warn` only reports it; `fail` fails the node and
 * so the run; `block` lets the run go on but stops every push downstream of the node, and the
 * run ends as blocked by a quality gate.
 */
export const severities = ['warn', 'fail', 'block'] as const
export type Severity = (typeof severities)[number]

/**
 * How a rule treats a NULL in the value it tests. `skip`: the row is neither passed nor failed
 * by the rule, and is left out of the `mostly` fraction (as in Great Expectations and Soda;
 * a not-null rule is how NULLs are caught). `fail`: a NULL fails the rule.
 */
export const nullPolicies = ['skip', 'fail'] as const
export type NullPolicy = (typeof nullPolicies)[number]

/** The five dimensions a quality score is made of. */
export const qualityDimensions = [
  'completeness',
  'validity',
  'uniqueness',
  'consistency',
  'timeliness',
] as const
export type QualityDimension = (typeof qualityDimensions)[number]

/** Ready-made patterns for the pattern rule; `regex` gives any other. */
export const patternPresets = {
  email: '^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}$',
  /** Mainland China mobile numbers: 11 digits starting 13–19, optionally with +86. */
  'phone-cn': '^(\\+?86[- ]?)?1[3-9][0-9]{9}$',
  /** ITU E.164: a plus, then up to 15 digits, the first not 0. */
  'phone-e164': '^\\+[1-9][0-9]{1,14}$',
  url: '^https?://[^\\s/$.?#][^\\s]*$',
  'iso-date': '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$',
  /** Mainland China postcodes: six digits. */
  'postcode-cn': '^[0-9]{6}$',
  /** US ZIP and ZIP+4. */
  'postcode-us': '^[0-9]{5}(-[0-9]{4})?$',
  /** UK postcodes (outward and inward code). */
  'postcode-uk': '^[A-Za-z]{1,2}[0-9][A-Za-z0-9]? ?[0-9][A-Za-z]{2}$',
} as const
export type PatternPreset = keyof typeof patternPresets

const columnName = z.string().min(1, 'name a column')
const columnList = z.array(columnName).min(1, 'name at least one column')
/** A bound of a range: a number, or an ISO date or timestamp as text. */
const rangeBound = z.union([z.number(), z.string().min(1)])

/** What every rule has besides what it tests. */
export const ruleBase = z.strictObject({
  /** Unique within its node; what results, gates and the fail port's `_check` name it by. */
  name: z
    .string()
    .trim()
    .min(1, 'name the rule')
    .max(100)
    .regex(/^[^,;]+$/, 'a rule name cannot hold a comma or semicolon'),
  severity: z.enum(severities).default('fail'),
  /** The fraction of tested rows that must pass, from 0 to 1 (1: every row). */
  mostly: z.number().min(0).max(1).default(1),
})

/** The rule kinds, each with what it tests. Shared by single-check nodes and validate suites. */
export const ruleSchemas = {
  /** NULL (and, with `blankIsNull`, an empty or all-space text) fails. */
  'not-null': z.strictObject({
    columns: columnList,
    blankIsNull: z.boolean().default(false),
  }),
  /**
   * Rows whose values in `columns` repeat fail, every copy. With `nulls: skip` a key with a NULL
   * in it is never a duplicate (SQL's rule); with `fail` such a key fails.
   */
  unique: z.strictObject({ columns: columnList, nulls: z.enum(nullPolicies).default('skip') }),
  'accepted-values': z.strictObject({
    column: columnName,
    values: z.array(z.string()).min(1, 'list at least one value'),
    /** Text columns only: compare ignoring case and surrounding spaces. */
    ignoreCase: z.boolean().default(false),
    nulls: z.enum(nullPolicies).default('skip'),
  }),
  /** Numbers, dates or timestamps within [min, max]; either bound may be left out. */
  range: z.strictObject({
    column: columnName,
    min: rangeBound.optional(),
    max: rangeBound.optional(),
    /** Whether the bounds themselves pass. */
    inclusive: z.boolean().default(true),
    nulls: z.enum(nullPolicies).default('skip'),
  }),
  /** The whole text matches a regular expression (RE2 syntax), or a preset. */
  pattern: z.strictObject({
    column: columnName,
    preset: z.enum(Object.keys(patternPresets) as [PatternPreset, ...PatternPreset[]]).optional(),
    regex: z.string().min(1).optional(),
    nulls: z.enum(nullPolicies).default('skip'),
  }),
  /** Text length in characters within [min, max]. */
  length: z.strictObject({
    column: columnName,
    min: z.number().int().min(0).optional(),
    max: z.number().int().min(0).optional(),
    nulls: z.enum(nullPolicies).default('skip'),
  }),
  /**
   * Every value of `columns` exists in `refColumns` of the node's second input (`ref`), e.g. every
   * trade's account in the accounts table.
   */
  referential: z.strictObject({
    columns: columnList,
    refColumns: columnList,
    nulls: z.enum(nullPolicies).default('skip'),
  }),
  /**
   * The row count is within [min, max], and, with `maxChangePercent`, within that many percent
   * of the count in the last successful run (the first run has nothing to compare with and passes).
   */
  'row-count': z.strictObject({
    min: z.number().int().min(0).optional(),
    max: z.number().int().min(0).optional(),
    maxChangePercent: z.number().min(0).optional(),
  }),
  /** The newest value of a date or timestamp column is at most `maxAgeHours` old. */
  freshness: z.strictObject({ column: columnName, maxAgeHours: z.number().positive() }),
  /**
   * Values further from the mean than `threshold` standard deviations (`zscore`, default 3), or
   * outside the quartiles by more than `threshold` interquartile ranges (`iqr`, default 1.5),
   * fail; computed per group when `groupBy` is given. NULLs are always skipped.
   */
  outliers: z.strictObject({
    column: columnName,
    method: z.enum(['zscore', 'iqr']).default('zscore'),
    threshold: z.number().positive().optional(),
    groupBy: z.array(columnName).default([]),
  }),
  /**
   * Columns added, removed or retyped since the last successful run fail the rule, except the
   * changes listed in `allow`. The first run records the schema and passes.
   */
  'schema-drift': z.strictObject({
    allow: z.array(z.enum(['added', 'removed', 'retyped'])).default([]),
  }),
  /**
   * A SQL condition. `row`: it must hold for each row (NULL counts as not holding), e.g.
   * `ship_date >= order_date`. `dataset`: an aggregate condition over all rows, e.g.
   * `sum(amount) > 0`.
   */
  sql: z.strictObject({
    expression: z.string().trim().min(1, 'write a condition'),
    scope: z.enum(['row', 'dataset']).default('row'),
  }),
} as const

export type RuleKind = keyof typeof ruleSchemas
export const ruleKinds = Object.keys(ruleSchemas) as RuleKind[]

/** The dimension each rule kind's result counts towards in a score. */
export const ruleDimensions: Record<RuleKind, QualityDimension> = {
  'not-null': 'completeness',
  unique: 'uniqueness',
  'accepted-values': 'validity',
  range: 'validity',
  pattern: 'validity',
  length: 'validity',
  referential: 'consistency',
  'row-count': 'consistency',
  freshness: 'timeliness',
  outliers: 'validity',
  'schema-drift': 'consistency',
  sql: 'validity',
}

/** Rules that judge the dataset as a whole: they pass or fail, and send no rows to `fail`. */
export const datasetRuleKinds: readonly RuleKind[] = ['row-count', 'freshness', 'schema-drift']

const checked = <Kind extends string>(kind: Kind) => ({ check: z.literal(kind) })

/** One rule of a validate suite: `check` says which kind. */
export const ruleSchema = z
  .discriminatedUnion('check', [
    ruleBase.extend({ ...checked('not-null'), ...ruleSchemas['not-null'].shape }),
    ruleBase.extend({ ...checked('unique'), ...ruleSchemas.unique.shape }),
    ruleBase.extend({ ...checked('accepted-values'), ...ruleSchemas['accepted-values'].shape }),
    ruleBase.extend({ ...checked('range'), ...ruleSchemas.range.shape }),
    ruleBase.extend({ ...checked('pattern'), ...ruleSchemas.pattern.shape }),
    ruleBase.extend({ ...checked('length'), ...ruleSchemas.length.shape }),
    ruleBase.extend({ ...checked('referential'), ...ruleSchemas.referential.shape }),
    ruleBase.extend({ ...checked('row-count'), ...ruleSchemas['row-count'].shape }),
    ruleBase.extend({ ...checked('freshness'), ...ruleSchemas.freshness.shape }),
    ruleBase.extend({ ...checked('outliers'), ...ruleSchemas.outliers.shape }),
    ruleBase.extend({ ...checked('schema-drift'), ...ruleSchemas['schema-drift'].shape }),
    ruleBase.extend({ ...checked('sql'), ...ruleSchemas.sql.shape }),
  ])
  .superRefine((rule, context) => {
    for (const problem of ruleProblems(rule)) {
      context.addIssue({ code: 'custom', message: problem.message, path: [problem.field] })
    }
  })
export type Rule = z.output<typeof ruleSchema>
export type RuleOf<K extends RuleKind> = Extract<Rule, { check: K }>

/** Cross-field problems zod cannot express field by field. */
export function ruleProblems(rule: Rule): Array<{ field: string; message: string }> {
  const problems: Array<{ field: string; message: string }> = []
  const bounded = (min: unknown, max: unknown, what: string): void => {
    if (min === undefined && max === undefined) {
      problems.push({ field: 'min', message: `give a minimum or a maximum${what}` })
    }
    if (typeof min === 'number' && typeof max === 'number' && min > max) {
      problems.push({ field: 'max', message: 'the maximum is below the minimum' })
    }
  }
  switch (rule.check) {
    case 'range':
      bounded(rule.min, rule.max, '')
      break
    case 'length':
      bounded(rule.min, rule.max, ' length')
      break
    case 'row-count':
      if (rule.min === undefined && rule.max === undefined && rule.maxChangePercent === undefined) {
        problems.push({ field: 'min', message: 'give a minimum, a maximum or a change percent' })
      }
      break
    case 'pattern':
      if ((rule.preset === undefined) === (rule.regex === undefined)) {
        problems.push({ field: 'regex', message: 'choose a preset or write a regex (one of them)' })
      }
      break
    case 'referential':
      if (rule.columns.length !== rule.refColumns.length) {
        problems.push({
          field: 'refColumns',
          message: 'name as many reference columns as checked columns',
        })
      }
      break
    default:
      break
  }
  return problems
}

/** How a rule ended in a run. `blocked`: a `block` rule missed, so pushes downstream stopped. */
export type RuleStatus = 'passed' | 'warned' | 'failed' | 'blocked'

/** What one rule found. */
export interface RuleResult {
  /** The rule's name, unique in its node. */
  rule: string
  check: RuleKind
  severity: Severity
  dimension: QualityDimension
  /** The columns it tested, if any. */
  columns: string[]
  status: RuleStatus
  /** Rows the rule judged (NULLs it skipped are left out); 1 for a dataset rule. */
  tested: number
  /** Rows that failed it (for a dataset rule, 1 if it failed). */
  failed: number
  /** tested − failed over tested; 1 when nothing was tested. */
  passRate: number
  mostly: number
  /** One sentence a user reads, e.g. "12 of 1,000 rows have an email that is not valid". */
  message: string
  /** Up to 5 failing rows (row rules only), each with the columns of the input. */
  samples: Array<Record<string, unknown>>
}

/** A score from 0 to 100 with what it is made of; a dimension no rule measured is absent. */
export interface Score {
  score: number
  dimensions: Partial<Record<QualityDimension, number>>
}

/** The quality of a check node's input: overall and per column. */
export interface QualityScore extends Score {
  columns: Array<{ name: string } & Score>
}

/** Relative weights of the dimensions in a score (default 1 each). */
export const qualityWeightsSchema = z
  .strictObject(
    Object.fromEntries(qualityDimensions.map((d) => [d, z.number().min(0).optional()])) as Record<
      QualityDimension,
      z.ZodOptional<z.ZodNumber>
    >,
  )
  .default({})
export type QualityWeights = z.output<typeof qualityWeightsSchema>

/** What a check, validate or gate node reports in its node stats. */
export interface NodeQuality {
  rules: RuleResult[]
  score: QualityScore
  /** The input's columns, so the next run can tell schema drift. */
  schema: Array<{ name: string; type: string }>
  /** A gate's decision, or why a `block` rule stopped the pushes downstream; absent when open. */
  blocked?: string
}

/** One point of a node's score trend: a run and its score. */
export interface QualityTrendPoint {
  runId: string
  startedAt: string
  status: string
  score: number
  dimensions: Partial<Record<QualityDimension, number>>
}
