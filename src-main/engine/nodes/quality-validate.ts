import type { z } from 'zod'
import type { validateConfig } from '../../../src-shared/nodes/quality'
import { runChecks } from '../quality/run-checks'
import type { NodeExecutor } from './executor'

/**
 * A validate suite: all its rules in one pass over the input (see `runChecks`); a row failing
 * several rules goes to `fail` once with every reason.
 */
export const validateExecutor: NodeExecutor<z.output<typeof validateConfig>> = {
  role: 'quality',
  run: (context) =>
    runChecks(context, {
      rules: context.config.rules,
      weights: context.config.weights,
      fieldOf: (index) => `config.rules[${index}].`,
    }),
}
