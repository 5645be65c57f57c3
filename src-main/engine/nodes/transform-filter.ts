import type { z } from 'zod'
import type { filterConfig } from '../../../src-shared/nodes/transforms'
import { onlyInput, type NodeExecutor } from './executor'

/**
 * Keeps the rows where the user's SQL condition holds. The condition ends with a line break so a
 * trailing `-- comment` in it cannot swallow the closing parenthesis.
 */
export const filterExecutor: NodeExecutor<z.output<typeof filterConfig>> = {
  role: 'transform',
  compile: ({ config, inputs }) =>
    `SELECT * FROM ${onlyInput(inputs).ref} WHERE (${config.where}\n)`,
}
