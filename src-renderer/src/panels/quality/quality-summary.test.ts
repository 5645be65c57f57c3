import { describe, expect, it } from 'vitest'
import type { NodeQuality, RuleResult, RuleStatus } from '../../../../src-shared/quality'
import { dimensionBars, qualityBadge, sampleTable, scoreColor } from './quality-summary'

function rule(name: string, status: RuleStatus): RuleResult {
  return {
    rule: name,
    check: 'not-null',
    severity: 'fail',
    dimension: 'completeness',
    columns: ['email'],
    status,
    tested: 10,
    failed: status === 'passed' ? 0 : 2,
    passRate: status === 'passed' ? 1 : 0.8,
    mostly: 1,
    message: '',
    samples: [],
  }
}

function quality(statuses: RuleStatus[], blocked?: string): NodeQuality {
  return {
    rules: statuses.map((status, index) => rule(`r${index}`, status)),
    score: { score: 86.6, dimensions: { completeness: 86.6 }, columns: [] },
    schema: [],
    ...(blocked ? { blocked } : {}),
  }
}

describe('qualityBadge', () => {
  it('counts every rule when all passed', () => {
    expect(qualityBadge(quality(['passed', 'passed', 'passed']), false)).toEqual({
      outcome: 'passed',
      count: 3,
      total: 3,
      score: 87,
    })
  })

  it('says the worst outcome and how many rules had it', () => {
    expect(qualityBadge(quality(['passed', 'warned', 'warned']), false)).toMatchObject({
      outcome: 'warned',
      count: 2,
    })
    expect(qualityBadge(quality(['warned', 'failed', 'passed']), false)).toMatchObject({
      outcome: 'failed',
      count: 1,
    })
    expect(
      qualityBadge(quality(['failed', 'blocked'], 'rule "r1" of "v" missed'), false),
    ).toMatchObject({ outcome: 'blocked', count: 1, reason: 'rule "r1" of "v" missed' })
  })

  it('shows a gate as open or closed, with why it closed', () => {
    expect(qualityBadge(quality([]), true)).toMatchObject({ outcome: 'open', score: 87 })
    expect(qualityBadge(quality([], 'score 62 is below 90'), true)).toMatchObject({
      outcome: 'closed',
      reason: 'score 62 is below 90',
    })
  })
})

describe('dimensionBars', () => {
  it('lists the five dimensions in order, null where nothing measured', () => {
    expect(dimensionBars({ validity: 50, completeness: 100 })).toEqual([
      { dimension: 'completeness', score: 100 },
      { dimension: 'validity', score: 50 },
      { dimension: 'uniqueness', score: null },
      { dimension: 'consistency', score: null },
      { dimension: 'timeliness', score: null },
    ])
  })
})

describe('scoreColor', () => {
  it('is green from 90, amber from 70 and red below', () => {
    expect([100, 90, 89.9, 70, 69].map(scoreColor)).toEqual([
      'success',
      'success',
      'warning',
      'warning',
      'error',
    ])
  })
})

describe('sampleTable', () => {
  it('joins the columns of the samples and writes NULL as the given text', () => {
    expect(
      sampleTable(
        [
          { id: 1, email: null, _reason: 'email is NULL' },
          { id: 2, tags: ['a'] },
        ],
        '(null)',
      ),
    ).toEqual({
      columns: ['id', 'email', '_reason', 'tags'],
      rows: [
        ['1', '(null)', 'email is NULL', '(null)'],
        ['2', '(null)', '(null)', '["a"]'],
      ],
    })
  })
})
