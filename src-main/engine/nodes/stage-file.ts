import { sluiceError, SluiceFailure, engineSentence } from '../../../src-shared/errors'
import { runStatement } from '../duckdb/query'
import type { NodeContext, NodeOutcome } from './executor'

/**
 * Stages a file through one of DuckDB's table functions into the node's `out` table, turning
 * DuckDB's parse errors into errors that name the file.
 *
 * JSON and CSV readers infer columns from a sample of records, so a key or a type first seen after
 * the sample fails the read. Readers like these pass `wholeFileFunction`, the same read inferring
 * from every record: slower, so it is only tried when the sampled read fails.
 */
export async function stageFileWith(
  context: NodeContext,
  file: string,
  tableFunction: string,
  wholeFileFunction?: string,
): Promise<NodeOutcome> {
  try {
    await stageFrom(context, tableFunction)
  } catch (thrown) {
    if (thrown instanceof SluiceFailure || wholeFileFunction === undefined) {
      throw readFailed(context, file, thrown)
    }
    try {
      await stageFrom(context, wholeFileFunction)
      context.log('info', `${file}: read again, inferring the columns from every record`)
    } catch (again) {
      throw readFailed(context, file, again)
    }
  }
  return {}
}

async function stageFrom(context: NodeContext, tableFunction: string): Promise<void> {
  await runStatement(
    context.connection,
    `CREATE OR REPLACE TABLE ${context.outputs.out} AS SELECT * FROM ${tableFunction}`,
    context.signal,
    (sample) => context.progress({ percent: sample.percent }),
  )
}

function readFailed(context: NodeContext, file: string, thrown: unknown): SluiceFailure {
  if (thrown instanceof SluiceFailure) {
    return thrown
  }
  const message = thrown instanceof Error ? thrown.message : String(thrown)
  // The message template ends the sentence itself.
  const line = engineSentence(message)
  const reason = line.trim().replace(/\.+$/, '')
  return new SluiceFailure(
    sluiceError('FILE_UNREADABLE', { file, reason }, { nodeId: context.node.id, detail: message }),
  )
}
