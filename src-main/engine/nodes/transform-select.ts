import type { z } from 'zod'
import type { selectConfig } from '../../../src-shared/nodes/transforms'
import { quoteIdent } from '../duckdb/quote'
import { onlyInput, type NodeExecutor } from './executor'

/** Keeps, renames and orders columns: one projection. */
export const selectExecutor: NodeExecutor<z.output<typeof selectConfig>> = {
  role: 'transform',
  preservesRows: true,
  compile: ({ config, inputs }) => {
    const columns = config.columns.map(({ name, as }) =>
      as && as !== name ? `${quoteIdent(name)} AS ${quoteIdent(as)}` : quoteIdent(name),
    )
    return `SELECT ${columns.join(', ')} FROM ${onlyInput(inputs).ref}`
  },
}
