import type { DuckDBConnection } from '@duckdb/node-api'
import type { HistogramBin } from '../../../src-shared/api'
import { queryRows } from '../duckdb/query'

/** Most bars in a histogram. */
const maxBins = 20
const secondsPerDay = 86_400

/** How a column's values are binned: whole steps (integers, days) or a continuous range. */
export type Scale = 'integer' | 'decimal' | 'date' | 'timestamp'

/** The scale of a DuckDB type, or null for types a histogram does not apply to. */
export function scaleOf(type: string): Scale | null {
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

/** A column's values as DOUBLE for binning: numbers as they are, dates as epoch seconds. */
export function numericValue(column: string, scale: Scale): string {
  return scale === 'date' || scale === 'timestamp'
    ? `epoch(${column})`
    : `CAST(${column} AS DOUBLE)`
}

/** Equal-width bins: the first one's lower edge, their width and how many there are. */
export interface Bins {
  lo: number
  width: number
  count: number
}

/** Equal-width bins over [lo, hi]: whole steps for integers and dates, 20 slices otherwise. */
export function binsFor(scale: Scale, lo: number, hi: number): Bins {
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

/** A column to bin: its position, its quoted name, its scale and its bins. */
export interface BinnedColumn {
  index: number
  sql: string
  scale: Scale
  bins: Bins
}

/** Every bin of a column with its count (empty bins included), from `histogramCounts`' keys. */
export function histogramOf(column: BinnedColumn, counts: Map<string, number>): HistogramBin[] {
  return Array.from({ length: column.bins.count }, (_, bin) => ({
    ...binEdges(column.scale, column.bins, bin),
    count: counts.get(`${column.index}:${bin}`) ?? 0,
  }))
}

/** Rows per (column, bin) for every binned column, from one scan; keys are `column:bin`. */
export async function histogramCounts(
  connection: DuckDBConnection,
  ref: string,
  columns: readonly BinnedColumn[],
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
