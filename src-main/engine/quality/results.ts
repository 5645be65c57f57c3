import {
  ruleDimensions,
  type Rule,
  type RuleResult,
  type RuleStatus,
} from '../../../src-shared/quality'

/** A count as a person reads it: 1,000. */
export function formatCount(count: number): string {
  return count.toLocaleString('en-US')
}

/** A fraction as a percentage with at most one decimal: 97.5%. */
export function formatPercent(fraction: number): string {
  return `${Math.round(fraction * 1000) / 10}%`
}

/** tested − failed over tested; 1 when nothing was tested. */
export function passRateOf(tested: number, failed: number): number {
  return tested === 0 ? 1 : (tested - failed) / tested
}

/** A rule that meets its `mostly` passes; one that misses it warns, fails or blocks by severity. */
export function statusOf(rule: Rule, passRate: number): RuleStatus {
  if (passRate >= rule.mostly) {
    return 'passed'
  }
  return rule.severity === 'warn' ? 'warned' : rule.severity === 'fail' ? 'failed' : 'blocked'
}

/** The result of a row rule from its counts. */
export function rowRuleResult(
  rule: Rule,
  columns: string[],
  counts: { rows: number; tested: number; failed: number },
  samples: Array<Record<string, unknown>>,
): RuleResult {
  const { rows, tested, failed } = counts
  const passRate = passRateOf(tested, failed)
  const skipped = rows - tested
  const skippedNote = skipped > 0 ? `; ${formatCount(skipped)} skipped (NULL)` : ''
  let message: string
  if (tested === 0) {
    message = `no rows to test${skippedNote}`
  } else if (failed === 0) {
    message = `all ${formatCount(tested)} tested rows pass${skippedNote}`
  } else {
    const required = rule.mostly < 1 ? `, ${formatPercent(rule.mostly)} required` : ''
    message =
      `${formatCount(failed)} of ${formatCount(tested)} tested rows fail ` +
      `(${formatPercent(passRate)} pass${required})${skippedNote}`
  }
  return {
    ...common(rule, columns, passRate),
    tested,
    failed,
    message,
    samples: failed > 0 ? samples : [],
  }
}

/** The result of a rule that judges the whole dataset: one test, passed or failed. */
export function datasetRuleResult(
  rule: Rule,
  columns: string[],
  passed: boolean,
  message: string,
): RuleResult {
  return {
    ...common(rule, columns, passed ? 1 : 0),
    tested: 1,
    failed: passed ? 0 : 1,
    message,
    samples: [],
  }
}

function common(rule: Rule, columns: string[], passRate: number) {
  return {
    rule: rule.name,
    check: rule.check,
    severity: rule.severity,
    dimension: ruleDimensions[rule.check],
    columns,
    status: statusOf(rule, passRate),
    passRate,
    mostly: rule.mostly,
  }
}
