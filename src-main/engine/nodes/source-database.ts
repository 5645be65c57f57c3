import { randomUUID } from 'node:crypto'
import type { z } from 'zod'
import { sluiceError, SluiceFailure } from '../../../src-shared/errors'
import type { databaseSourceConfig } from '../../../src-shared/nodes/databases'
import { driverFor } from '../connectors/database/drivers'
import type { NodeExecutor } from './executor'

/**
 * Reads a table or query from a project connection into the node's staging table. The driver
 * streams rows in (COPY for PostgreSQL, a streaming cursor for MySQL), so nothing is held whole
 * in memory. Incremental sources read past the stored watermark and propose the next one; the
 * service stores it only when the whole run succeeds.
 */
export const databaseSourceExecutor: NodeExecutor<z.output<typeof databaseSourceConfig>> = {
  role: 'source',
  // A remote table can change at any moment and has no cheap identity, so it is read every run.
  identify: () => Promise.resolve(`database read ${randomUUID()}`),
  run: async (context) => {
    const { config, node, databases } = context
    const connection = await databases.resolve(config.connection)
    const target = context.outputs.out
    if (!target) {
      throw new SluiceFailure(sluiceError('INTERNAL', { reason: 'no output table' }))
    }
    // The previous run's rows are replaced; drivers create the table afresh.
    await context.connection.run(`DROP TABLE IF EXISTS ${target}`)
    const outcome = await driverFor(connection.kind).read({
      nodeId: node.id,
      signal: context.signal,
      progress: context.progress,
      log: context.log,
      connection,
      source:
        config.query.trim() !== ''
          ? { query: config.query }
          : { schema: config.schema, table: config.table },
      columns: config.columns,
      where: config.where,
      incremental: config.incremental
        ? {
            column: config.incremental.column,
            lookback: config.incremental.lookback,
            after: databases.watermark(node.id),
          }
        : null,
      duckdb: context.connection,
      target,
      workDir: context.workDir,
    })
    return {
      portRows: { out: outcome.rows },
      warnings: outcome.warnings,
      ...(config.incremental && outcome.watermark != null ? { watermark: outcome.watermark } : {}),
    }
  },
}
