import { z } from 'zod'
import { defineNodeKind, onePort } from './spec'

const columnName = z.string().min(1, 'name a column')
const sqlExpression = z.string().trim().min(1, 'write an expression')
const input = () => onePort('in', 'The rows to transform.')
const output = () => onePort('out', 'The transformed rows.', false)

export const selectConfig = z.strictObject({
  /** Kept columns in output order; `as` renames. */
  columns: z
    .array(z.strictObject({ name: columnName, as: z.string().optional() }))
    .min(1, 'keep at least one column'),
})

export const selectTransform = defineNodeKind({
  kind: 'transform.select',
  family: 'transform',
  title: 'Select / rename / reorder',
  help: 'Keeps the listed columns in the listed order, renaming those given a new name.',
  config: selectConfig,
  defaults: { columns: [] },
  inputs: input,
  outputs: output,
})

export const filterConfig = z.strictObject({ where: sqlExpression })

export const filterTransform = defineNodeKind({
  kind: 'transform.filter',
  family: 'transform',
  title: 'Filter rows',
  help: "Keeps rows where a SQL condition is true, e.g. `amount > 0 AND status <> 'void'`.",
  config: filterConfig,
  defaults: { where: '' },
  inputs: input,
  outputs: output,
})

export const deriveConfig = z.strictObject({
  columns: z
    .array(z.strictObject({ name: columnName, expression: sqlExpression }))
    .min(1, 'add at least one column'),
})

export const deriveTransform = defineNodeKind({
  kind: 'transform.derive',
  family: 'transform',
  title: 'Derive column',
  help: 'Adds (or replaces) columns computed by SQL expressions over the input columns.',
  config: deriveConfig,
  defaults: { columns: [] },
  inputs: input,
  outputs: output,
})

export const castConfig = z.strictObject({
  columns: z
    .array(
      z.strictObject({
        name: columnName,
        type: z.string().min(1, 'choose a type'),
        /** `null` turns values that do not convert into NULL instead of failing the run. */
        onError: z.enum(['fail', 'null']).default('fail'),
      }),
    )
    .min(1, 'cast at least one column'),
})

export const castTransform = defineNodeKind({
  kind: 'transform.cast',
  family: 'transform',
  title: 'Change type',
  help: 'Converts columns to another type; values that do not convert fail the run or become NULL.',
  config: castConfig,
  defaults: { columns: [] },
  inputs: input,
  outputs: output,
})

export const fillConfig = z.strictObject({
  columns: z
    .array(
      z.strictObject({
        name: columnName,
        strategy: z.enum(['constant', 'previous', 'mean', 'mode']),
        /** For `constant`: a SQL literal or expression. */
        value: z.string().optional(),
      }),
    )
    .min(1, 'fill at least one column'),
  /** For `previous`: the order that defines "previous"; input order when empty. */
  orderBy: z.string().default(''),
})

export const fillTransform = defineNodeKind({
  kind: 'transform.fill',
  family: 'transform',
  title: 'Fill missing values',
  help: 'Replaces NULLs with a constant, the previous non-null value, the column mean, or its mode.',
  config: fillConfig.superRefine((config, ctx) => {
    config.columns.forEach((column, index) => {
      if (column.strategy === 'constant' && (column.value ?? '') === '') {
        ctx.addIssue({
          code: 'custom',
          path: ['columns', index, 'value'],
          message: 'give the constant',
        })
      }
    })
  }),
  defaults: { columns: [] },
  inputs: input,
  outputs: output,
})

export const dedupeConfig = z.strictObject({
  /** Columns that identify a duplicate; all columns when empty. */
  keys: z.array(columnName).default([]),
  keep: z.enum(['first', 'last']).default('first'),
  /** Defines first/last; the input's row order when empty. */
  orderBy: z.string().default(''),
})

export const dedupeTransform = defineNodeKind({
  kind: 'transform.dedupe',
  family: 'transform',
  title: 'Remove duplicates',
  help: 'Keeps one row per key (or per identical row), the first or last by an order column.',
  config: dedupeConfig,
  defaults: {},
  inputs: input,
  outputs: output,
})

export const sortConfig = z.strictObject({
  by: z
    .array(
      z.strictObject({
        column: columnName,
        descending: z.boolean().default(false),
        nullsFirst: z.boolean().default(false),
      }),
    )
    .min(1, 'sort by at least one column'),
})

export const sortTransform = defineNodeKind({
  kind: 'transform.sort',
  family: 'transform',
  title: 'Sort',
  help: 'Orders rows by one or more columns.',
  config: sortConfig,
  defaults: { by: [] },
  inputs: input,
  outputs: output,
})

export const limitConfig = z.strictObject({
  mode: z.enum(['first', 'sample']).default('first'),
  rows: z.int().min(0).optional(),
  /** For `sample`: a percentage instead of a row count. */
  percent: z.number().gt(0).max(100).optional(),
  /** For `sample`: the same seed gives the same sample. */
  seed: z.int().default(42),
})

export const limitTransform = defineNodeKind({
  kind: 'transform.limit',
  family: 'transform',
  title: 'Limit / sample',
  help: 'Keeps the first N rows, or a reproducible random sample of N rows or P percent.',
  config: limitConfig.superRefine((config, ctx) => {
    if (config.rows === undefined && config.percent === undefined) {
      ctx.addIssue({ code: 'custom', path: ['rows'], message: 'give a row count or a percentage' })
    }
    if (config.mode === 'first' && config.rows === undefined) {
      ctx.addIssue({ code: 'custom', path: ['rows'], message: 'give the number of rows to keep' })
    }
  }),
  defaults: { rows: 1000 },
  inputs: input,
  outputs: output,
})

const inputName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'use letters, digits and _ (it is a table name in the SQL)')

export const sqlConfig = z.strictObject({
  /** Each name is an input port and the table name the SQL reads it by. */
  inputs: z.array(inputName).min(1, 'name at least one input').default(['input']),
  sql: z.string().trim().min(1, 'write a SELECT query'),
})

export const sqlTransform = defineNodeKind({
  kind: 'transform.sql',
  family: 'transform',
  title: 'Custom SQL',
  help:
    'A DuckDB SELECT over the inputs, each read by its port name as a table, e.g. ' +
    '`SELECT * FROM orders o JOIN customers c USING (customer_id)`.',
  config: sqlConfig.superRefine((config, ctx) => {
    const seen = new Set<string>()
    config.inputs.forEach((name, index) => {
      if (seen.has(name.toLowerCase())) {
        ctx.addIssue({
          code: 'custom',
          path: ['inputs', index],
          message: `"${name}" is listed twice`,
        })
      }
      seen.add(name.toLowerCase())
    })
  }),
  defaults: { inputs: ['input'], sql: 'SELECT * FROM input' },
  inputs: (config) =>
    config.inputs.map((name) => ({ name, required: true, help: `Read in the SQL as ${name}.` })),
  outputs: output,
})
