import { describe, expect, it } from 'vitest'
import type { QualityDimension, RuleResult } from '../../../src-shared/quality'
import { scoreQuality } from './scores'

function result(
  rule: string,
  dimension: QualityDimension,
  passRate: number,
  columns: string[] = [],
): RuleResult {
  return {
    rule,
    check: 'sql',
    severity: 'warn',
    dimension,
    columns,
    status: 'passed',
    tested: 1,
    failed: 0,
    passRate,
    mostly: 1,
    message: '',
    samples: [],
  }
}

describe('quality scores', () => {
  const results = [
    result('email valid', 'validity', 0.5, ['email']),
    result('amount range', 'validity', 1, ['amount']),
    result('id unique', 'uniqueness', 0.8, ['id']),
  ]
  // 10 rows: id full, email 6 filled, amount 10 filled.
  const fills = [
    { name: 'id', filled: 10 },
    { name: 'email', filled: 6 },
    { name: 'amount', filled: 10 },
  ]

  it('averages pass rates per dimension, with every column filling completeness', () => {
    const score = scoreQuality(results, fills, 10)
    // validity (50 + 100) / 2 = 75; uniqueness 80; completeness (100 + 60 + 100) / 3 = 86.67.
    expect(score.dimensions).toEqual({ validity: 75, uniqueness: 80, completeness: 86.7 })
    expect(score.score).toBe(80.6) // (75 + 80 + 86.7) / 3 = 80.57
  })

  it('weights the dimensions, and leaves out the ones no rule measured', () => {
    const score = scoreQuality(results, fills, 10, { validity: 2, completeness: 0 })
    // (2 × 75 + 1 × 80 + 0 × 86.7) / 3 = 76.67
    expect(score.score).toBe(76.7)
    expect(score.dimensions.timeliness).toBeUndefined()
  })

  it('scores each column over the rules naming it and its own fill', () => {
    const score = scoreQuality(results, fills, 10)
    expect(score.columns).toEqual([
      { name: 'id', score: 90, dimensions: { uniqueness: 80, completeness: 100 } },
      { name: 'email', score: 55, dimensions: { validity: 50, completeness: 60 } },
      { name: 'amount', score: 100, dimensions: { validity: 100, completeness: 100 } },
    ])
  })

  it('counts a not-null rule into completeness beside the fill fractions', () => {
    const score = scoreQuality([result('email', 'completeness', 0.6, ['email'])], fills, 10)
    // (60 + 100 + 60 + 100) / 4 = 80
    expect(score).toMatchObject({ score: 80, dimensions: { completeness: 80 } })
  })

  it('treats an empty input as complete, and all-zero weights as equal', () => {
    expect(scoreQuality([], [{ name: 'id', filled: 0 }], 0).score).toBe(100)
    const zero = scoreQuality(results, fills, 10, {
      validity: 0,
      uniqueness: 0,
      completeness: 0,
    })
    expect(zero.score).toBe(80.6)
  })
})
