import type { DuckDBConnection } from '@duckdb/node-api'
import type { ColumnProfile } from '../../../src-shared/api'
import { patternPresets } from '../../../src-shared/quality'
import { quoteLiteral } from '../duckdb/quote'
import { queryRows } from '../duckdb/query'

/** Most frequent values kept per column. */
const topValueCount = 10
/**
 * Non-null values of a column whose lengths and patterns are looked at. A LIMIT lets DuckDB stop
 * reading early, so the sample costs milliseconds where matching every row of 1M costs about
 * 100 ms per pattern, and averaging every length about 60 ms per column.
 */
export const patternSampleSize = 10_000

/**
 * What a sample of a column's non-null values looks like: how many were sampled, their mean
 * length as text, how many hold a space, and how many look like an email, a phone number or a
 * date.
 */
export interface ValueSample {
  sampled: number
  averageLength: number
  spaced: number
  email: number
  phone: number
  date: number
}

/** A column whose values are summarised: its position, quoted name and whether to sample it. */
export interface SummarisedColumn {
  index: number
  sql: string
  /** Text and whole-number columns are sampled; a phone number may be a BIGINT. */
  sampled: boolean
}

/** What one statement found about the values of every column. */
export interface ValueSummaries {
  top: Map<number, ColumnProfile['top']>
  /** Distinct non-null values, exact: the groups of the top values' GROUP BY. */
  distinct: Map<number, number>
  samples: Map<number, ValueSample>
}

const phonePattern = `${patternPresets['phone-cn']}|${patternPresets['phone-e164']}`

/**
 * The most frequent values and the exact distinct count of every column, and a sample of each
 * text and whole-number column, in one statement: a GROUP BY per column on its own type (ties
 * then sort by value as that type; its groups are the distinct values, counted by a window over
 * the grouped rows) and a LIMITed scan per sampled column, unioned. Counting the groups costs
 * less than half of an `approx_count_distinct` over the rows, and HyperLogLog was 26% off on
 * the bench's orders. Measured on 5,000,000 rows the
 * GROUP BY per column is twice as fast as unnesting all columns cast to text into one GROUP BY.
 * A date is anything DuckDB reads as a timestamp (ISO dates, `2024/01/02`, `2024-01-02 10:00`).
 */
export async function summariseValues(
  connection: DuckDBConnection,
  ref: string,
  columns: readonly SummarisedColumn[],
  signal?: AbortSignal,
): Promise<ValueSummaries> {
  const noSample =
    'NULL::DOUBLE AS len, NULL::BIGINT AS spaced, NULL::BIGINT AS email, NULL::BIGINT AS phone, NULL::BIGINT AS date'
  const topQueries = columns.map(
    ({ sql, index }) =>
      `(SELECT ${index} AS col, 'top' AS kind, CAST(value AS VARCHAR) AS value, n, ${noSample},
               filled_groups AS groups, row_number() OVER (ORDER BY n DESC, value NULLS LAST) AS rank
        FROM (SELECT *, count(value) OVER () AS filled_groups
              FROM (SELECT ${sql} AS value, count(*) AS n FROM ${ref} GROUP BY ${sql})
              ORDER BY n DESC, value NULLS LAST LIMIT ${topValueCount}))`,
  )
  const sampleQueries = columns
    .filter((column) => column.sampled)
    .map(
      ({ sql, index }) =>
        `(SELECT ${index} AS col, 'sample' AS kind, NULL AS value, count(*) AS n,
                 avg(length(v)) AS len, count(*) FILTER (WHERE contains(v, ' ')) AS spaced,
                 count(*) FILTER (WHERE regexp_full_match(v, ${quoteLiteral(patternPresets.email)})) AS email,
                 count(*) FILTER (WHERE regexp_full_match(v, ${quoteLiteral(phonePattern)})) AS phone,
                 count(*) FILTER (WHERE TRY_CAST(v AS TIMESTAMP) IS NOT NULL) AS date,
                 NULL::BIGINT AS groups, 0 AS rank
          FROM (SELECT CAST(${sql} AS VARCHAR) AS v FROM ${ref} WHERE ${sql} IS NOT NULL
                LIMIT ${patternSampleSize}))`,
    )
  const rows = await queryRows(
    connection,
    `SELECT col, kind, value, n, len, spaced, email, phone, date, groups
     FROM (${[...topQueries, ...sampleQueries].join(' UNION ALL ')}) ORDER BY col, kind, rank`,
    signal,
  )
  const top = new Map<number, ColumnProfile['top']>()
  const samples = new Map<number, ValueSample>()
  const distinct = new Map<number, number>()
  for (const row of rows) {
    const col = Number(row.col)
    if (row.kind === 'sample') {
      samples.set(col, {
        sampled: Number(row.n),
        averageLength: Number(row.len),
        spaced: Number(row.spaced),
        email: Number(row.email),
        phone: Number(row.phone),
        date: Number(row.date),
      })
      continue
    }
    distinct.set(col, Number(row.groups))
    const list = top.get(col) ?? []
    list.push({ value: row.value === null ? null : String(row.value), count: Number(row.n) })
    top.set(col, list)
  }
  return { top, distinct, samples }
}
