import { sluiceError, SluiceFailure } from '../../../src-shared/errors'
import { runStatement } from '../duckdb/query'
import type { NodeContext, NodeOutcome } from './executor'

/**
 * Stages a file through one of DuckDB's table functions into the node's `out` table, turning
 * DuckDB's parse errors into errors that name the file.
 */
export async function stageFileWith(
  context: NodeContext,
  file: string,
  tableFunction: string,
): Promise<NodeOutcome> {
  try {
    await runStatement(
      context.connection,
      `CREATE OR REPLACE TABLE ${context.outputs.out} AS SELECT * FROM ${tableFunction}`,
      context.signal,
      (sample) => context.progress({ percent: sample.percent }),
    )
  } catch (thrown) {
    if (thrown instanceof SluiceFailure) {
      throw thrown
    }
    const message = thrown instanceof Error ? thrown.message : String(thrown)
    const reason = message.replace(/^[A-Za-z ]+ Error: /, '').split('\n')[0] ?? message
    throw new SluiceFailure(
      sluiceError('FILE_UNREADABLE', { file, reason }, { nodeId: context.node.id, detail: message }),
    )
  }
  return {}
}
