import { z } from 'zod'
import {
  qualityWeightsSchema,
  ruleBase,
  ruleProblems,
  ruleSchema,
  ruleSchemas,
  type Rule,
  type RuleKind,
} from '../quality'
import { defineNodeKind, type PortSpec } from './spec'

const checkedInput: PortSpec = { name: 'in', required: true, help: 'The rows to check.' }
const referenceInput: PortSpec = {
  name: 'ref',
  required: true,
  help: 'The rows whose key values the checked columns must be found in.',
}
const checkOutputs = (): PortSpec[] => [
  { name: 'pass', required: false, help: 'The rows that broke no rule.' },
  {
    name: 'fail',
    required: false,
    help: 'The rows that broke a rule, with `_check` (the rules) and `_reason` (why) columns.',
  },
]

/** The config of a single-check node: the rule's fields, named after its kind by default. */
function checkConfig<Kind extends RuleKind>(kind: Kind) {
  return ruleBase
    .extend({ name: ruleBase.shape.name.default(kind) })
    .extend(ruleSchemas[kind].shape)
    .superRefine((config, context) => {
      for (const problem of ruleProblems({ ...config, check: kind } as unknown as Rule)) {
        context.addIssue({ code: 'custom', message: problem.message, path: [problem.field] })
      }
    })
}

function checkNode<Kind extends RuleKind>(
  kind: Kind,
  title: string,
  help: string,
  defaults: Record<string, unknown>,
) {
  return defineNodeKind({
    kind: `check.${kind}`,
    family: 'quality',
    title,
    help,
    config: checkConfig(kind),
    defaults: { severity: 'fail', mostly: 1, ...defaults },
    inputs: () => (kind === 'referential' ? [checkedInput, referenceInput] : [checkedInput]),
    outputs: checkOutputs,
  })
}

export const checkNodes = [
  checkNode('not-null', 'Check: not null', 'Fails rows where any of the columns is NULL.', {
    columns: [],
  }),
  checkNode('unique', 'Check: unique', 'Fails every row whose key (one or more columns) repeats.', {
    columns: [],
  }),
  checkNode(
    'accepted-values',
    'Check: accepted values',
    'Fails rows whose value is not one of a list.',
    { column: '', values: [] },
  ),
  checkNode(
    'range',
    'Check: range',
    'Fails rows whose number, date or timestamp is outside [min, max].',
    { column: '' },
  ),
  checkNode(
    'pattern',
    'Check: pattern',
    'Fails rows whose text does not match a regular expression or a preset (email, phone, URL, ISO date, postcode).',
    { column: '', preset: 'email' },
  ),
  checkNode('length', 'Check: length', 'Fails rows whose text is shorter or longer than allowed.', {
    column: '',
  }),
  checkNode(
    'referential',
    'Check: referential integrity',
    'Fails rows whose key is not found in a second input, e.g. trades whose account does not exist.',
    { columns: [], refColumns: [] },
  ),
  checkNode(
    'row-count',
    'Check: row count',
    'Fails when the row count is outside bounds, or changed by more than a percentage since the last successful run.',
    { min: 1 },
  ),
  checkNode(
    'freshness',
    'Check: freshness',
    'Fails when the newest date or timestamp in a column is older than N hours.',
    { column: '', maxAgeHours: 24 },
  ),
  checkNode(
    'outliers',
    'Check: outliers',
    'Fails values far from the rest (z-score or IQR), optionally within groups.',
    { column: '', method: 'zscore', groupBy: [] },
  ),
  checkNode(
    'schema-drift',
    'Check: schema drift',
    'Fails when columns were added, removed or retyped since the last successful run.',
    { allow: [] },
  ),
  checkNode(
    'sql',
    'Check: SQL assertion',
    'Fails rows where a SQL condition does not hold, or the run when an aggregate condition does not.',
    { expression: '', scope: 'row' },
  ),
] as const

export const validateConfig = z
  .strictObject({
    rules: z.array(ruleSchema).min(1, 'add at least one rule'),
    weights: qualityWeightsSchema,
  })
  .superRefine((config, context) => {
    const seen = new Set<string>()
    config.rules.forEach((rule, index) => {
      if (seen.has(rule.name)) {
        context.addIssue({
          code: 'custom',
          message: `two rules are named "${rule.name}"; give each its own name`,
          path: ['rules', index, 'name'],
        })
      }
      seen.add(rule.name)
    })
  })

export const validateNode = defineNodeKind({
  kind: 'quality.validate',
  family: 'quality',
  title: 'Validate (rule suite)',
  help:
    'Applies many rules in as few passes over the data as possible, like a Great Expectations ' +
    'suite; a row that breaks several rules goes to `fail` once, with every reason. Rules import ' +
    'from and export to YAML.',
  config: validateConfig,
  defaults: { rules: [], weights: {} },
  inputs: (config) =>
    config.rules.some((rule) => rule.check === 'referential')
      ? [checkedInput, referenceInput]
      : [checkedInput],
  outputs: checkOutputs,
})

export const gateConfig = z
  .strictObject({
    /** The lowest quality score (0–100) of the checked data upstream that lets pushes run. */
    minScore: z.number().min(0).max(100).optional(),
    /** Rules (by name, in any check or validate node upstream) that must have passed. */
    rules: z.array(z.string().min(1)).default([]),
  })
  .refine((config) => config.minScore !== undefined || config.rules.length > 0, {
    message: 'give a minimum score or the rules that must pass',
    path: ['minScore'],
  })

export const gateNode = defineNodeKind({
  kind: 'quality.gate',
  family: 'quality',
  title: 'Quality gate',
  help:
    'Passes its input on unchanged, but when the quality score upstream is below the minimum or ' +
    'a named rule did not pass (it warned, failed or blocked), every push downstream is stopped ' +
    'and the run ends as blocked.',
  config: gateConfig,
  defaults: { minScore: 90, rules: [] },
  inputs: () => [{ name: 'in', required: true, help: 'The checked rows.' }],
  outputs: () => [{ name: 'out', required: false, help: 'The same rows, unchanged.' }],
})
