import type { DuckDBConnection } from '@duckdb/node-api'
import type { ColumnProfile, HistogramBin, NodeProfile } from '../../../src-shared/api'
import type { ValidPipeline } from '../../../src-shared/pipeline'
import { quoteIdent } from '../duckdb/quote'
import { queryRows } from '../duckdb/query'
import { withNodeRelation, type PreviewOptions } from './preview'
import { describeRelation } from './run-node'

/** Most frequent values kept per column. */
const topValueCount = 10
/** Most bars in a histogram. */
const maxBins = 20
const secondsPerDay = 86_400

/**
 * Profiles a node's output (or `options.port`) over all its rows: per column the nulls, an
 * estimate of the distinct values, min and max, the most frequent values and a histogram. The
 * node's relation is found or built the way a preview does it, so a node that never ran can be
 * profiled. DuckDB does the work in three statements: one aggregate SELECT for the counts and
 * ranges, one for the top values (a GROUP BY per column) and one for the histogram bins (all
 * columns unnested side by side, grouped once).
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

/** How a column's values are binned: whole steps (integers, days) or a continuous range. */
type Scale = 'integer' | 'decimal' | 'date' | 'timestamp'

function scaleOf(type: string): Scale | null {
  if (/^U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)$/.test(type)) {
    return 'integer'
  }
  if (/^(FLOAT|REAL|DOUBLE|DECIMAL\(\d+,\s*\d+\))$/.test(type)) {
    return 'decimal'
  }
  if (type === 'DATE') {
    return 'date'
  }
  return type.startsWith('TIMESTAMP') ? 'timestamp' : null
}

/** Nested types have no useful min and max. */
function isOrdered(type: string): boolean {
  return !/\[|^(STRUCT|MAP|UNION)\b/.test(type)
}

/** A column's values as DOUBLE for binning: numbers as they are, dates as epoch seconds. */
function numericValue(column: string, scale: Scale): string {
  return scale === 'date' || scale === 'timestamp'
    ? `epoch(${column})`
    : `CAST(${column} AS DOUBLE)`
}

interface Bins {
  lo: number
  width: number
  count: number
}

/** Equal-width bins over [lo, hi]: whole steps for integers and dates, 20 slices otherwise. */
function binsFor(scale: Scale, lo: number, hi: number): Bins {
  const step = scale === 'integer' ? 1 : scale === 'date' ? secondsPerDay : 0
  if (step > 0) {
    const values = Math.round((hi - lo) / step) + 1
    const width = Math.ceil(values / maxBins) * step
    return { lo, width, count: Math.ceil((values * step) / width) }
  }
  return hi > lo ? { lo, width: (hi - lo) / maxBins, count: maxBins } : { lo, width: 1, count: 1 }
}

function edgeText(scale: Scale, value: number): string {
  if (scale === 'date') {
    return new Date(value * 1000).toISOString().slice(0, 10)
  }
  if (scale === 'timestamp') {
    return new Date(value * 1000)
      .toISOString()
      .replace('T', ' ')
      .replace(/\.000Z$|Z$/, '')
  }
  // Decimal edges are rounded for reading; the counts use the exact edges.
  return scale === 'integer' ? String(value) : String(Number(value.toPrecision(6)))
}

function binEdges(scale: Scale, bins: Bins, index: number): { from: string; to: string } {
  const from = bins.lo + index * bins.width
  const inclusiveStep = scale === 'integer' ? 1 : scale === 'date' ? secondsPerDay : 0
  return {
    from: edgeText(scale, from),
    to: edgeText(scale, from + bins.width - inclusiveStep),
  }
}

/** Profiles every column of `ref` in three statements. */
export async function profileRelation(
  connection: DuckDBConnection,
  ref: string,
  columns: Array<{ name: string; type: string }>,
  signal?: AbortSignal,
): Promise<{ rows: number; columns: ColumnProfile[] }> {
  const described = columns.map((column, index) => ({
    ...column,
    index,
    sql: quoteIdent(column.name),
    scale: scaleOf(column.type),
  }))
  const aggregates = described.flatMap((column) => {
    const i = column.index
    const parts = [`count(${column.sql}) AS n${i}`, `approx_count_distinct(${column.sql}) AS d${i}`]
    if (isOrdered(column.type)) {
      parts.push(
        `CAST(min(${column.sql}) AS VARCHAR) AS lo${i}`,
        `CAST(max(${column.sql}) AS VARCHAR) AS hi${i}`,
      )
    }
    if (column.scale) {
      const value = numericValue(column.sql, column.scale)
      parts.push(
        `min(${value}) FILTER (WHERE isfinite(${value})) AS vlo${i}`,
        `max(${value}) FILTER (WHERE isfinite(${value})) AS vhi${i}`,
      )
    }
    return parts
  })
  const [stats = {}] = await queryRows(
    connection,
    `SELECT ${['count(*) AS total', ...aggregates].join(', ')} FROM ${ref}`,
    signal,
  )
  const rows = Number(stats.total ?? 0)
  if (described.length === 0 || rows === 0) {
    return {
      rows,
      columns: described.map((column) => ({
        name: column.name,
        type: column.type,
        rows,
        nulls: 0,
        distinct: 0,
        min: null,
        max: null,
        top: [],
        histogram: column.scale ? [] : null,
      })),
    }
  }

  const top = await topValues(connection, ref, described, signal)
  const binned = described.flatMap((column) => {
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
    columns: described.map((column) => {
      const i = column.index
      const filled = Number(stats[`n${i}`] ?? 0)
      const text = (key: string): string | null => {
        const value = stats[`${key}${i}`]
        return value === null || value === undefined ? null : String(value)
      }
      const binning = binned.find((candidate) => candidate.index === i)
      let histogram: HistogramBin[] | null = null
      if (column.scale) {
        histogram = binning
          ? Array.from({ length: binning.bins.count }, (_, bin) => ({
              ...binEdges(binning.scale, binning.bins, bin),
              count: counts.get(`${i}:${bin}`) ?? 0,
            }))
          : []
      }
      return {
        name: column.name,
        type: column.type,
        rows,
        nulls: rows - filled,
        distinct: Number(stats[`d${i}`] ?? 0),
        min: text('lo'),
        max: text('hi'),
        top: top.get(i) ?? [],
        histogram,
      }
    }),
  }
}

interface DescribedColumn {
  index: number
  sql: string
}

/**
 * The most frequent values of every column in one statement: a GROUP BY per column on its own
 * type (ties then sort by value as that type), unioned. Measured on 5,000,000 rows this is twice
 * as fast as unnesting all columns cast to text into one GROUP BY.
 */
async function topValues(
  connection: DuckDBConnection,
  ref: string,
  columns: DescribedColumn[],
  signal?: AbortSignal,
): Promise<Map<number, ColumnProfile['top']>> {
  const perColumn = columns.map(
    ({ sql, index }) =>
      `(SELECT ${index} AS col, CAST(value AS VARCHAR) AS value, n,
               row_number() OVER (ORDER BY n DESC, value NULLS LAST) AS rank
        FROM (SELECT ${sql} AS value, count(*) AS n FROM ${ref} GROUP BY ${sql}
              ORDER BY n DESC, value NULLS LAST LIMIT ${topValueCount}))`,
  )
  const rows = await queryRows(
    connection,
    `SELECT col, value, n FROM (${perColumn.join(' UNION ALL ')}) ORDER BY col, rank`,
    signal,
  )
  const byColumn = new Map<number, ColumnProfile['top']>()
  for (const row of rows) {
    const col = Number(row.col)
    const list = byColumn.get(col) ?? []
    list.push({ value: row.value === null ? null : String(row.value), count: Number(row.n) })
    byColumn.set(col, list)
  }
  return byColumn
}

/** Rows per (column, bin) for every binned column, from one scan; keys are `column:bin`. */
async function histogramCounts(
  connection: DuckDBConnection,
  ref: string,
  columns: Array<DescribedColumn & { scale: Scale; bins: Bins }>,
  signal?: AbortSignal,
): Promise<Map<string, number>> {
  const counts = new Map<string, number>()
  if (columns.length === 0) {
    return counts
  }
  const bins = columns.map(({ sql, scale, bins: { lo, width, count } }) => {
    const value = numericValue(sql, scale)
    return `CASE WHEN isfinite(${value}) THEN least(CAST(floor((${value} - ${lo}::DOUBLE) / ${width}::DOUBLE) AS BIGINT), ${count - 1}) END`
  })
  const indexes = columns.map((column) => column.index).join(', ')
  const rows = await queryRows(
    connection,
    `SELECT col, bin, count(*) AS n
     FROM (SELECT unnest([${bins.join(', ')}]) AS bin, unnest([${indexes}]) AS col FROM ${ref})
     WHERE bin IS NOT NULL
     GROUP BY col, bin`,
    signal,
  )
  for (const row of rows) {
    counts.set(`${Number(row.col)}:${Number(row.bin)}`, Number(row.n))
  }
  return counts
}
