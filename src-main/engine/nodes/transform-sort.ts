import type { z } from 'zod'
import type { sortConfig } from '../../../src-shared/nodes/transforms'
import { quoteIdent } from '../duckdb/quote'
import { onlyInput, type NodeExecutor } from './executor'

/** Orders rows by the listed columns. */
export const sortExecutor: NodeExecutor<z.output<typeof sortConfig>> = {
  role: 'transform',
  blocking: true,
  preservesRows: true,
  compile: ({ config, inputs }) => {
    const keys = config.by.map(
      ({ column, descending, nullsFirst }) =>
        `${quoteIdent(column)} ${descending ? 'DESC' : 'ASC'} NULLS ${nullsFirst ? 'FIRST' : 'LAST'}`,
    )
    return `SELECT * FROM ${onlyInput(inputs).ref} ORDER BY ${keys.join(', ')}`
  },
}
