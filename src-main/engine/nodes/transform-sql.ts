import type { z } from 'zod'
import type { sqlConfig } from '../../../src-shared/nodes/transforms'
import { quoteIdent } from '../duckdb/quote'
import type { NodeExecutor } from './executor'

/** A final `;` with only white space and `--` comments after it, as an editor leaves it. */
const trailingSemicolon = /;(\s|--[^\n]*)*$/

/**
 * The user's SELECT, with each input bound to its port name by a CTE. The query is wrapped as a
 * subquery so it may have its own WITH clause; a trailing semicolon is dropped, and the query
 * ends with a line break so a last `-- comment` cannot swallow the closing parenthesis.
 */
export const sqlExecutor: NodeExecutor<z.output<typeof sqlConfig>> = {
  role: 'transform',
  blocking: true,
  compile: ({ config, inputs }) => {
    const bindings = config.inputs.map(
      (name) => `${quoteIdent(name)} AS (SELECT * FROM ${inputs[name]?.ref ?? quoteIdent(name)})`,
    )
    const body = config.sql.trim().replace(trailingSemicolon, '')
    return `WITH ${bindings.join(', ')} SELECT * FROM (\n${body}\n)`
  },
}
