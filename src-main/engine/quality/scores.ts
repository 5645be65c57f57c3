import type {
  QualityDimension,
  QualityScore,
  QualityWeights,
  RuleResult,
  Score,
} from '../../../src-shared/quality'

/** How full one input column is: its non-NULL values out of the rows. */
export interface ColumnFill {
  name: string
  filled: number
}

/**
 * The quality score of a check node's input, 0–100. Each dimension is the mean pass rate of the
 * node's rules in it; completeness also counts every input column's non-NULL fraction, so data
 * with no not-null rule still shows its gaps. The dataset score is the weighted mean of the
 * dimensions present; a column's score is the same over the rules naming it and its own fill.
 */
export function scoreQuality(
  results: readonly RuleResult[],
  fills: readonly ColumnFill[],
  rows: number,
  weights: QualityWeights = {},
): QualityScore {
  const fraction = (fill: ColumnFill): number => (rows === 0 ? 1 : fill.filled / rows)
  const overall = combine(
    results.map((result) => [result.dimension, result.passRate] as const),
    fills.map(fraction),
    weights,
  )
  const columns = fills.map((fill) => ({
    name: fill.name,
    ...combine(
      results
        .filter((result) => result.columns.includes(fill.name))
        .map((result) => [result.dimension, result.passRate] as const),
      [fraction(fill)],
      weights,
    ),
  }))
  return { ...overall, columns }
}

function combine(
  rates: ReadonlyArray<readonly [QualityDimension, number]>,
  fillFractions: readonly number[],
  weights: QualityWeights,
): Score {
  const byDimension = new Map<QualityDimension, number[]>()
  for (const [dimension, rate] of rates) {
    byDimension.set(dimension, [...(byDimension.get(dimension) ?? []), rate])
  }
  if (fillFractions.length > 0) {
    byDimension.set('completeness', [...(byDimension.get('completeness') ?? []), ...fillFractions])
  }
  const dimensions: Partial<Record<QualityDimension, number>> = {}
  for (const [dimension, values] of byDimension) {
    dimensions[dimension] = round((mean(values) ?? 1) * 100)
  }
  const present = Object.entries(dimensions) as Array<[QualityDimension, number]>
  const weightOf = (dimension: QualityDimension): number => weights[dimension] ?? 1
  const totalWeight = present.reduce((sum, [dimension]) => sum + weightOf(dimension), 0)
  // All weights zero: no dimension counts more than another, so take the plain mean.
  const score =
    present.length === 0
      ? 100
      : totalWeight === 0
        ? (mean(present.map(([, value]) => value)) ?? 100)
        : present.reduce((sum, [dimension, value]) => sum + weightOf(dimension) * value, 0) /
          totalWeight
  return { score: round(score), dimensions }
}

function mean(values: readonly number[]): number | undefined {
  return values.length === 0
    ? undefined
    : values.reduce((sum, value) => sum + value, 0) / values.length
}

/** Scores keep one decimal: enough to see a trend move, not so many that noise shows. */
function round(value: number): number {
  return Math.round(value * 10) / 10
}
