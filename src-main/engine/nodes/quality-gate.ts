import type { z } from 'zod'
import type { gateConfig } from '../../../src-shared/nodes/quality'
import { runStatement } from '../duckdb/query'
import { decideGate } from '../quality/gate'
import { dropRelation, isTemporary } from '../quality/relations'
import { onlyInput, type NodeExecutor } from './executor'

/**
 * A quality gate: passes its input on unchanged, and reports whether the pushes downstream may
 * run (`quality.blocked`); the run stops those pushes. The output is a view over a stored input,
 * and a copy of a preview's temporary one, which would vanish with its connection.
 */
export const gateExecutor: NodeExecutor<z.output<typeof gateConfig>> = {
  role: 'quality',
  run: async (context) => {
    const { connection, signal } = context
    const input = onlyInput(context.inputs)
    const out = context.outputs.out as string
    await dropRelation(connection, out)
    const kind = (await isTemporary(connection, input.ref)) ? 'TABLE' : 'VIEW'
    await runStatement(connection, `CREATE ${kind} ${out} AS SELECT * FROM ${input.ref}`, signal)
    const quality = decideGate(context.config, context.upstreamQuality, input.columns)
    if (quality.blocked) {
      context.log('warn', `Quality gate closed: ${quality.blocked}.`)
    }
    return { quality, ...(input.rows !== undefined ? { portRows: { out: input.rows } } : {}) }
  },
}
