import { randomUUID } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { z } from 'zod'
import { sluiceError, SluiceFailure, engineSentence } from '../../../src-shared/errors'
import type { duckdbSinkConfig } from '../../../src-shared/nodes/sinks'
import { resolvePath } from '../connectors/files/file-identity'
import { quoteIdent, quoteLiteral } from '../duckdb/quote'
import { queryNumber, runStatement } from '../duckdb/query'
import { onlyInput, type NodeExecutor } from './executor'

/**
 * Writes a table into another DuckDB file, attached under a private alias. The write runs in one
 * transaction, so a failure or cancel leaves the target table exactly as it was.
 */
export const duckdbSinkExecutor: NodeExecutor<z.output<typeof duckdbSinkConfig>> = {
  role: 'sink',
  run: async (context) => {
    const { config, connection, node, signal } = context
    const file = resolvePath(context.baseDir, config.path)
    const name = `sluice_target_${randomUUID().replaceAll('-', '')}`
    const alias = quoteIdent(name)
    const table = `${alias}.${quoteIdent(config.table)}`
    const input = onlyInput(context.inputs)
    try {
      await mkdir(dirname(file), { recursive: true })
      // Attaching fails on a file that is not a DuckDB database (and leaves it untouched).
      await connection.run(`ATTACH ${quoteLiteral(file)} AS ${alias}`)
    } catch (thrown) {
      throw writeFailed(node.id, file, thrown)
    }
    try {
      const exists =
        (await queryNumber(
          connection,
          `SELECT count(*) FROM duckdb_tables() WHERE database_name = ${quoteLiteral(name)} AND table_name = ${quoteLiteral(config.table)}`,
        )) > 0
      if (config.mode === 'create' && exists) {
        const reason = `table "${config.table}" already exists and the mode is "create"`
        throw new SluiceFailure(
          sluiceError(
            'WRITE_FAILED',
            { node: node.id, file, reason },
            { nodeId: node.id, field: 'config.mode' },
          ),
        )
      }
      const write =
        config.mode === 'append' && exists
          ? `INSERT INTO ${table} BY NAME SELECT * FROM ${input.ref}`
          : `CREATE OR REPLACE TABLE ${table} AS SELECT * FROM ${input.ref}`
      await connection.run('BEGIN TRANSACTION')
      try {
        await runStatement(connection, write, signal)
        await connection.run('COMMIT')
      } catch (thrown) {
        await connection.run('ROLLBACK')
        throw thrown
      }
    } catch (thrown) {
      throw writeFailed(node.id, file, thrown)
    } finally {
      await connection.run(`DETACH ${alias}`)
    }
    const rowsWritten =
      input.rows ?? (await queryNumber(connection, `SELECT count(*) FROM ${input.ref}`))
    return { written: `${file}#${config.table}`, rowsWritten }
  },
}

/** A failure as `WRITE_FAILED` naming the node and the file; a known Sluice error stays as it is. */
function writeFailed(nodeId: string, file: string, thrown: unknown): SluiceFailure {
  if (thrown instanceof SluiceFailure) {
    return thrown
  }
  const message = thrown instanceof Error ? thrown.message : String(thrown)
  const reason = engineSentence(message)
  return new SluiceFailure(
    sluiceError('WRITE_FAILED', { node: nodeId, file, reason }, { nodeId, detail: message }),
  )
}
