import type { z } from 'zod'
import type { ChangeSamples } from '../../../src-shared/databases'
import type { databaseSinkConfig } from '../../../src-shared/nodes/databases'
import { driverFor } from '../connectors/database/drivers'
import { onlyInput, type NodeExecutor } from './executor'

/**
 * Pushes the input into a table of a project connection. The driver bulk-loads a staging table
 * and merges it in one transaction, so a failure or cancel leaves the target as it was; in a dry
 * run it reports the changes and DDL and rolls everything back.
 */
export const databaseSinkExecutor: NodeExecutor<z.output<typeof databaseSinkConfig>> = {
  role: 'sink',
  rehearses: true,
  run: async (context) => {
    const { config, node, databases } = context
    const connection = await databases.resolve(config.connection)
    const dryRun = databases.dryRun
    const outcome = await driverFor(connection.kind).write({
      nodeId: node.id,
      signal: context.signal,
      progress: context.progress,
      log: context.log,
      connection,
      schema: config.schema,
      table: config.table,
      mode: config.mode,
      keys: config.keys,
      createMissing: config.createMissing,
      preSql: config.preSql,
      postSql: config.postSql,
      dryRun,
      duckdb: context.connection,
      input: onlyInput(context.inputs),
      workDir: context.workDir,
    })
    const { inserted, updated, deleted, ddl, samples } = outcome
    if (dryRun) {
      context.log(
        'info',
        `Dry run: ${outcome.written} would get ${inserted} inserted, ${updated} updated and ` +
          `${deleted} deleted rows${ddl.length > 0 ? `, after ${ddl.join('; ')}` : ''}. Nothing was changed.`,
      )
    }
    return {
      written: outcome.written,
      rowsWritten: dryRun ? 0 : inserted + updated,
      warnings: outcome.warnings,
      push: {
        target: outcome.written,
        dryRun,
        inserted,
        updated,
        deleted,
        ddl,
        ...(samples ? { samples: jsonSafeSamples(samples) } : {}),
      },
    }
  },
}

/**
 * Sample rows travel to the UI as JSON and into the run record: server drivers hand back
 * bigints, Dates and Buffers, which JSON cannot carry as they are.
 */
function jsonSafeSamples(samples: ChangeSamples): ChangeSamples {
  const value = (cell: unknown): unknown => {
    if (typeof cell === 'bigint') {
      return Number.isSafeInteger(Number(cell)) ? Number(cell) : cell.toString()
    }
    if (cell instanceof Date) {
      return cell.toISOString()
    }
    if (cell instanceof Uint8Array) {
      return `\\x${Buffer.from(cell).toString('hex')}`
    }
    return cell
  }
  const rows = (list: Array<Record<string, unknown>>) =>
    list.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, value(v)])))
  return {
    insert: rows(samples.insert),
    update: rows(samples.update),
    delete: rows(samples.delete),
  }
}
