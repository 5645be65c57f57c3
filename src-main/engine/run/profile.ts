import type { DuckDBConnection } from '@duckdb/node-api'
import type { ColumnProfile, NodeProfile } from '../../../src-shared/api'
import type { ValidPipeline } from '../../../src-shared/pipeline'
import { quoteIdent } from '../duckdb/quote'
import { queryRows } from '../duckdb/query'
import { withNodeRelation, type PreviewOptions } from './preview'
import {
  binsFor,
  histogramCounts,
  histogramOf,
  scaleOf,
  type BinnedColumn,
  type Scale,
} from './profile-bins'
import { inferSemanticType } from './profile-semantic'
import { summariseValues } from './profile-values'
import { describeRelation } from './run-node'

/**
 * Profiles a node's output (or `options.port`) over all its rows: per column the nulls, the
 * distinct values, min and max, mean, standard deviation and quartiles, the most
 * frequent values, a histogram and what the column holds (its semantic type). The node's
 * relation is found or built the way a preview does it, so a node that never ran can be
 * profiled. DuckDB does the work in three statements (see `profileRelation`).
 */
export async function profileNode(
  pipeline: ValidPipeline,
  nodeId: string,
  options: PreviewOptions,
): Promise<NodeProfile> {
  const started = performance.now()
  return withNodeRelation(pipeline, nodeId, options, async (connection, shown) => {
    const columns = await describeRelation(connection, shown.ref)
    const profiled = await profileRelation(connection, shown.ref, columns, options.signal)
    return {
      nodeId,
      port: shown.port,
      rows: profiled.rows,
      columns: profiled.columns,
      ms: Math.round(performance.now() - started),
    }
  })
}

/** Nested types have no useful min and max. */
function isOrdered(type: string): boolean {
  return !/\[|^(STRUCT|MAP|UNION)\b/.test(type)
}

interface DescribedColumn {
  name: string
  type: string
  index: number
  sql: string
  scale: Scale | null
}

const quartiles = '[0.25, 0.5, 0.75]'

/** Types that can hold NaN or ±infinity, which ranges, moments and quartiles leave out. */
function mayBeInfinite(type: string, scale: Scale): boolean {
  return /^(FLOAT|REAL|DOUBLE)$/.test(type) || scale === 'date' || scale === 'timestamp'
}

/**
 * The aggregates of one column in the first statement, aliased by a prefix and the column's
 * position. Number quartiles are exact and interpolated (`quantile_cont`); date and timestamp
 * quartiles are exact values of the column (`quantile_disc`). Aggregates read the column as it
 * is and cast their result: on 1M rows `quantile_cont(CAST(x AS DOUBLE))` takes 100-200 ms a
 * column where `quantile_cont(x)` takes 30 ms, and `approx_quantile` is no faster.
 */
function columnAggregates(column: DescribedColumn): string[] {
  const { index: i, sql, scale, type } = column
  const parts = [`count(${sql}) AS n${i}`]
  if (isOrdered(type)) {
    parts.push(`CAST(min(${sql}) AS VARCHAR) AS lo${i}`, `CAST(max(${sql}) AS VARCHAR) AS hi${i}`)
  }
  if (!scale) {
    return parts
  }
  const finite = mayBeInfinite(type, scale) ? ` FILTER (WHERE isfinite(${sql}))` : ''
  const low = `min(${sql})${finite}`
  const high = `max(${sql})${finite}`
  if (scale === 'date' || scale === 'timestamp') {
    return [
      ...parts,
      `epoch(${low}) AS vlo${i}`,
      `epoch(${high}) AS vhi${i}`,
      `CAST(quantile_disc(${sql}, ${quartiles})${finite} AS VARCHAR[]) AS q${i}`,
    ]
  }
  // A DECIMAL's quartile keeps its scale and truncates (249.75 of a DECIMAL(18,1) gives 249.7),
  // so decimals alone pay for the cast.
  const interpolated = type.startsWith('DECIMAL') ? `CAST(${sql} AS DOUBLE)` : sql
  return [
    ...parts,
    `CAST(${low} AS DOUBLE) AS vlo${i}`,
    `CAST(${high} AS DOUBLE) AS vhi${i}`,
    `avg(${sql})${finite} AS mu${i}`,
    `stddev_samp(${sql})${finite} AS sd${i}`,
    `CAST(quantile_cont(${interpolated}, ${quartiles})${finite} AS VARCHAR[]) AS q${i}`,
  ]
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null
}

function quantilesOf(value: unknown): ColumnProfile['quantiles'] {
  if (!Array.isArray(value)) {
    return null
  }
  const [p25, median, p75] = value.map((item) => (item === null ? null : String(item)))
  return p25 && median && p75 ? { p25, median, p75 } : null
}

/** A column of an empty relation: nothing counted, nothing inferred. */
function emptyProfile(column: DescribedColumn, rows: number): ColumnProfile {
  return {
    name: column.name,
    type: column.type,
    rows,
    nulls: 0,
    distinct: 0,
    min: null,
    max: null,
    top: [],
    histogram: column.scale ? [] : null,
    mean: null,
    stddev: null,
    quantiles: null,
    semanticType: 'other',
  }
}

/**
 * Profiles every column of `ref` in three statements: one aggregate SELECT for the counts,
 * ranges, moments and quartiles; one for the top values and distinct counts (a GROUP BY per
 * column) and a sample of
 * each text column (its lengths, spaces and matches of the email, phone and date patterns); one
 * for the histogram bins (all columns unnested side by side, grouped once).
 */
export async function profileRelation(
  connection: DuckDBConnection,
  ref: string,
  columns: Array<{ name: string; type: string }>,
  signal?: AbortSignal,
): Promise<{ rows: number; columns: ColumnProfile[] }> {
  const described: DescribedColumn[] = columns.map((column, index) => ({
    ...column,
    index,
    sql: quoteIdent(column.name),
    scale: scaleOf(column.type),
  }))
  const aggregates = described.flatMap(columnAggregates)
  const [stats = {}] = await queryRows(
    connection,
    `SELECT ${['count(*) AS total', ...aggregates].join(', ')} FROM ${ref}`,
    signal,
  )
  const rows = Number(stats.total ?? 0)
  if (described.length === 0 || rows === 0) {
    return { rows, columns: described.map((column) => emptyProfile(column, rows)) }
  }

  const values = await summariseValues(
    connection,
    ref,
    described.map((column) => ({
      ...column,
      sampled: column.type === 'VARCHAR' || column.scale === 'integer',
    })),
    signal,
  )
  const binned: BinnedColumn[] = described.flatMap((column) => {
    const lo = stats[`vlo${column.index}`]
    const hi = stats[`vhi${column.index}`]
    if (!column.scale || typeof lo !== 'number' || typeof hi !== 'number') {
      return []
    }
    return [{ ...column, scale: column.scale, bins: binsFor(column.scale, lo, hi) }]
  })
  const counts = await histogramCounts(connection, ref, binned, signal)

  return {
    rows,
    columns: described.map((column): ColumnProfile => {
      const i = column.index
      const filled = Number(stats[`n${i}`] ?? 0)
      const distinct = values.distinct.get(i) ?? 0
      const text = (key: string): string | null => {
        const value = stats[`${key}${i}`]
        return value === null || value === undefined ? null : String(value)
      }
      const binning = binned.find((candidate) => candidate.index === i)
      const top = values.top.get(i) ?? []
      const semanticType = inferSemanticType({
        type: column.type,
        filled,
        distinct,
        mostRepeated: top.find((entry) => entry.value !== null)?.count ?? 0,
        ...(values.samples.has(i) ? { sample: values.samples.get(i) } : {}),
      })
      return {
        name: column.name,
        type: column.type,
        rows,
        nulls: rows - filled,
        distinct,
        min: text('lo'),
        max: text('hi'),
        top,
        histogram: column.scale ? (binning ? histogramOf(binning, counts) : []) : null,
        mean: numberOrNull(stats[`mu${i}`]),
        stddev: numberOrNull(stats[`sd${i}`]),
        quantiles: quantilesOf(stats[`q${i}`]),
        semanticType,
      }
    }),
  }
}
