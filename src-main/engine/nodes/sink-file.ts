import { mkdir, rename, rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import { sluiceError, SluiceFailure } from '../../../src-shared/errors'
import { resolvePath } from '../connectors/files/file-identity'
import { quoteLiteral } from '../duckdb/quote'
import { queryNumber, runStatement } from '../duckdb/query'
import type { NodeContext, NodeOutcome } from './executor'
import { onlyInput } from './executor'

/**
 * Writes `select` to a file with DuckDB's COPY. It writes beside the target and renames at the
 * end, so a failed or cancelled run leaves the previous file whole instead of half-written.
 */
export async function copyToFile(
  context: NodeContext,
  path: string,
  select: string,
  copyOptions: string,
): Promise<NodeOutcome> {
  const target = resolvePath(context.baseDir, path)
  const partial = `${target}.sluice-partial`
  try {
    await mkdir(dirname(target), { recursive: true })
    await runStatement(
      context.connection,
      `COPY (${select}) TO ${quoteLiteral(partial)} (${copyOptions})`,
      context.signal,
      (sample) => context.progress({ percent: sample.percent }),
    )
    await rename(partial, target)
  } catch (thrown) {
    await rm(partial, { force: true })
    if (thrown instanceof SluiceFailure) {
      throw thrown
    }
    const message = thrown instanceof Error ? thrown.message : String(thrown)
    const reason = message.replace(/^[A-Za-z ]+ Error: /, '').split('\n')[0] ?? message
    throw new SluiceFailure(
      sluiceError('WRITE_FAILED', { node: context.node.id, file: target, reason }, { nodeId: context.node.id, detail: message }),
    )
  }
  const input = onlyInput(context.inputs)
  const rowsWritten = input.rows ?? (await queryNumber(context.connection, `SELECT count(*) FROM ${input.ref}`))
  return { written: target, rowsWritten }
}
