import type { Rule, RuleKind } from '../../../src-shared/quality'
import { runChecks } from '../quality/run-checks'
import type { NodeExecutor } from './executor'

/**
 * The executor of a single-check node `check.<kind>`: its config is one rule of that kind, run
 * through the same compiler as a validate suite. The twelve kinds differ only in the rule, whose
 * SQL lives in `quality/`, so one file serves them all instead of twelve identical ones.
 */
export function checkRuleExecutor(kind: RuleKind): NodeExecutor<Record<string, unknown>> {
  return {
    role: 'quality',
    run: (context) =>
      runChecks(context, {
        rules: [{ ...context.config, check: kind } as unknown as Rule],
        weights: {},
        fieldOf: () => 'config.',
      }),
  }
}
