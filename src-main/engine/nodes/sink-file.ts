import { mkdir, rename, rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import { sluiceError, SluiceFailure, engineSentence } from '../../../src-shared/errors'
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
  const partial = partialPathFor(target)
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
    // Best effort: a failed clean-up (something else is at that path) must not hide the cause.
    await rm(partial, { force: true }).catch(() => undefined)
    if (thrown instanceof SluiceFailure) {
      throw thrown
    }
    const message = thrown instanceof Error ? thrown.message : String(thrown)
    const reason = engineSentence(message)
    throw new SluiceFailure(
      sluiceError(
        'WRITE_FAILED',
        { node: context.node.id, file: target, reason },
        { nodeId: context.node.id, detail: message },
      ),
    )
  }
  const input = onlyInput(context.inputs)
  const rowsWritten =
    input.rows ?? (await queryNumber(context.connection, `SELECT count(*) FROM ${input.ref}`))
  return { written: target, rowsWritten }
}

/**
 * Where a file is written before it replaces `target`. The suffix keeps it out of the patterns a
 * folder source would use for the real files (`*.csv`), even if a crash leaves it behind.
 */
export function partialPathFor(target: string): string {
  return `${target}.sluice-partial`
}

/**
 * The compression a CSV or JSON file's name asks for. DuckDB infers it from the name it writes
 * to, which is the partial file's, so the sinks pass it explicitly.
 */
export function compressionFor(path: string): 'gzip' | 'zstd' | 'none' {
  const name = path.toLowerCase()
  return name.endsWith('.gz') ? 'gzip' : name.endsWith('.zst') ? 'zstd' : 'none'
}
