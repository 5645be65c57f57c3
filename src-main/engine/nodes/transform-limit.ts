import type { z } from 'zod'
import type { limitConfig } from '../../../src-shared/nodes/transforms'
import { onlyInput, type NodeExecutor } from './executor'
import { numberRows, rowOrderColumn } from './input-order'

/**
 * First N rows, or a sample. The sample ranks rows by a seeded hash of their position instead of
 * DuckDB's SAMPLE clause, whose REPEATABLE seed is only repeatable single-threaded; the same
 * input and seed always give the same rows, kept in input order.
 */
export const limitExecutor: NodeExecutor<z.output<typeof limitConfig>> = {
  role: 'transform',
  compile: ({ config, inputs }) => {
    const input = onlyInput(inputs)
    if (config.mode === 'first') {
      return `SELECT * FROM ${input.ref} LIMIT ${config.rows ?? 0}`
    }
    const numbered = `(${numberRows(input.ref)})`
    const draw = `hash(${rowOrderColumn}, ${config.seed})`
    const picked =
      config.rows !== undefined
        ? `SELECT * FROM ${numbered} ORDER BY ${draw} LIMIT ${config.rows}`
        : `SELECT * FROM ${numbered} WHERE ${draw} % 1000000 < ${Math.round((config.percent ?? 0) * 10000)}`
    return `SELECT * EXCLUDE (${rowOrderColumn}) FROM (${picked}) ORDER BY ${rowOrderColumn}`
  },
}
