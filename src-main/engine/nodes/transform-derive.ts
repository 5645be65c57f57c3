import type { z } from 'zod'
import type { deriveConfig } from '../../../src-shared/nodes/transforms'
import { quoteIdent } from '../duckdb/quote'
import { onlyInput, type NodeExecutor } from './executor'

/**
 * Adds or replaces columns. Each column is one layer of SELECT, so a later expression can use a
 * column derived earlier in the same node, as a user reading the list top to bottom expects.
 * Expressions end with a line break so a trailing `-- comment` cannot swallow the rest.
 */
export const deriveExecutor: NodeExecutor<z.output<typeof deriveConfig>> = {
  role: 'transform',
  preservesRows: true,
  compile: ({ config, inputs }) => {
    const input = onlyInput(inputs)
    const known = new Set(input.columns.map((column) => column.name.toLowerCase()))
    let sql = `SELECT * FROM ${input.ref}`
    for (const { name, expression } of config.columns) {
      const replaces = known.has(name.toLowerCase())
      sql = replaces
        ? `SELECT * REPLACE ((${expression}\n) AS ${quoteIdent(name)}) FROM (${sql})`
        : `SELECT *, (${expression}\n) AS ${quoteIdent(name)} FROM (${sql})`
      known.add(name.toLowerCase())
    }
    return sql
  },
}
