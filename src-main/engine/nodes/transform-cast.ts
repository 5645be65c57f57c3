import type { z } from 'zod'
import { sluiceError, SluiceFailure } from '../../../src-shared/errors'
import type { castConfig } from '../../../src-shared/nodes/transforms'
import { quoteIdent } from '../duckdb/quote'
import { queryRows } from '../duckdb/query'
import { onlyInput, type NodeExecutor } from './executor'

/**
 * Converts column types. Before converting, one query counts the values that would not convert
 * per column, so a failure names the column, the count and an example, and `onError: null` says
 * how many values it turned into NULL.
 */
export const castExecutor: NodeExecutor<z.output<typeof castConfig>> = {
  role: 'transform',
  preservesRows: true,
  compile: ({ config, inputs }) => {
    const replaced = config.columns.map(
      ({ name, type, onError }) =>
        `${onError === 'null' ? 'TRY_CAST' : 'CAST'}(${quoteIdent(name)} AS ${type}) AS ${quoteIdent(name)}`,
    )
    return `SELECT * REPLACE (${replaced.join(', ')}) FROM ${onlyInput(inputs).ref}`
  },
  inspect: async ({ config, inputs, connection, signal, node }) => {
    const input = onlyInput(inputs)
    const probes = config.columns.map(({ name, type }, index) => {
      const bad = `${quoteIdent(name)} IS NOT NULL AND TRY_CAST(${quoteIdent(name)} AS ${type}) IS NULL`
      return `count(*) FILTER (WHERE ${bad}) AS bad_${index}, CAST(any_value(${quoteIdent(name)}) FILTER (WHERE ${bad}) AS VARCHAR) AS example_${index}`
    })
    const [counts] = await queryRows(
      connection,
      `SELECT ${probes.join(', ')} FROM ${input.ref}`,
      signal,
    )
    const warnings: string[] = []
    for (const [index, { name, type, onError }] of config.columns.entries()) {
      const bad = Number(counts?.[`bad_${index}`] ?? 0)
      if (bad === 0) {
        continue
      }
      const example = String(counts?.[`example_${index}`])
      const sentence = `${bad} value(s) of column "${name}" do not convert to ${type}, e.g. "${example}"`
      if (onError === 'fail') {
        throw new SluiceFailure(
          sluiceError(
            'SQL_ERROR',
            { node: node.id, reason: sentence },
            { nodeId: node.id, field: `config.columns.${index}` },
          ),
        )
      }
      warnings.push(`${sentence}; they became NULL`)
    }
    return { warnings }
  },
}
