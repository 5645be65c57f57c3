import { describe, expect, it } from 'vitest'
import type { NodeQuality, RuleResult, RuleStatus } from '../../../src-shared/quality'
import type { UpstreamQuality } from '../nodes/executor'
import { decideGate } from './gate'

function rule(name: string, status: RuleStatus): RuleResult {
  return {
    rule: name,
    check: 'not-null',
    severity: 'fail',
    dimension: 'completeness',
    columns: ['id'],
    status,
    tested: 10,
    failed: status === 'passed' ? 0 : 4,
    passRate: status === 'passed' ? 1 : 0.6,
    mostly: 1,
    message:
      status === 'passed' ? 'all 10 tested rows pass' : '4 of 10 tested rows fail (60% pass)',
    samples: [],
  }
}

function upstream(
  nodeId: string,
  score: number,
  rules: RuleResult[],
  nearest = true,
): UpstreamQuality {
  const quality: NodeQuality = { rules, score: { score, dimensions: {}, columns: [] }, schema: [] }
  return { nodeId, quality, nearest }
}

const schema = [{ name: 'id', type: 'INTEGER' }]

describe('a gate decision', () => {
  it('takes the lowest score of the nearest checks, ignoring checks further up', () => {
    const decision = decideGate(
      { minScore: 80, rules: [] },
      [upstream('a', 95, []), upstream('b', 85, []), upstream('far', 10, [], false)],
      schema,
    )
    expect(decision.score.score).toBe(85)
    expect(decision.blocked).toBeUndefined()
    expect(decision.schema).toEqual(schema)
  })

  it('closes below the minimum, naming the node whose score is too low', () => {
    const decision = decideGate(
      { minScore: 90, rules: [] },
      [upstream('a', 95, []), upstream('b', 85, [])],
      schema,
    )
    expect(decision.blocked).toBe('the quality score of "b" is 85, below the minimum 90')
  })

  it('closes when a named rule anywhere upstream did not pass, or is missing', () => {
    const checks = [
      upstream('near', 100, [rule('ids', 'passed'), rule('names', 'warned')]),
      upstream('far', 100, [rule('emails', 'blocked'), rule('codes', 'failed')], false),
    ]
    expect(decideGate({ rules: ['ids'] }, checks, schema).blocked).toBeUndefined()
    const closed = decideGate({ rules: ['ids', 'emails', 'phones'] }, checks, schema)
    expect(closed.blocked).toBe(
      'rule "emails" of "far" blocked: 4 of 10 tested rows fail (60% pass); no check upstream has a rule "phones"',
    )
    expect(closed.rules.map((result) => result.rule)).toEqual(['ids', 'emails'])
    expect(decideGate({ rules: ['codes'] }, checks, schema).blocked).toBe(
      'rule "codes" of "far" failed: 4 of 10 tested rows fail (60% pass)',
    )
  })

  it('closes when a named rule only warned: it too fell below its threshold', () => {
    const checks = [upstream('near', 100, [rule('ids', 'passed'), rule('names', 'warned')])]
    expect(decideGate({ rules: ['ids', 'names'] }, checks, schema).blocked).toBe(
      'rule "names" of "near" warned: 4 of 10 tested rows fail (60% pass)',
    )
  })

  it('closes on a minimum score when nothing upstream scores the data', () => {
    expect(decideGate({ minScore: 1, rules: [] }, [], schema).blocked).toBe(
      'no check or validate node upstream scores the data',
    )
  })
})
