import { mkdir, rename, rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { z } from 'zod'
import { engineSentence, sluiceError, SluiceFailure } from '../../../src-shared/errors'
import type { excelSinkConfig } from '../../../src-shared/nodes/excel'
import { writeWorkbook } from '../connectors/excel/write-workbook'
import { resolvePath } from '../connectors/files/file-identity'
import { onlyInput, type NodeExecutor } from './executor'
import { partialPathFor } from './sink-file'

/**
 * Writes the input to an .xlsx file through exceljs's streaming writer, beside the target first
 * and renamed at the end, so a failed run leaves the previous file whole.
 */
export const excelSinkExecutor: NodeExecutor<z.output<typeof excelSinkConfig>> = {
  role: 'sink',
  run: async (context) => {
    const { config, node } = context
    const input = onlyInput(context.inputs)
    const target = resolvePath(context.baseDir, config.path)
    const partial = partialPathFor(target)
    let written
    try {
      await mkdir(dirname(target), { recursive: true })
      written = await writeWorkbook({
        connection: context.connection,
        relation: input.ref,
        columns: input.columns,
        path: partial,
        sheetName: config.sheet,
        rowsPerSheet: config.rowsPerSheet,
        signal: context.signal,
        progress: (rows) =>
          context.progress({
            rows,
            ...(input.rows ? { percent: Math.min(100, (100 * rows) / input.rows) } : {}),
          }),
      })
      await rename(partial, target)
    } catch (thrown) {
      await rm(partial, { force: true }).catch(() => undefined)
      if (thrown instanceof SluiceFailure || context.signal.aborted) {
        throw thrown
      }
      const message = thrown instanceof Error ? thrown.message : String(thrown)
      throw new SluiceFailure(
        sluiceError(
          'WRITE_FAILED',
          { node: node.id, file: target, reason: engineSentence(message) },
          { nodeId: node.id, detail: message },
        ),
      )
    }
    const warnings =
      written.sheets.length > 1
        ? [
            `${target}: ${written.rows} rows do not fit one sheet (${config.rowsPerSheet} data rows each); they continue on sheets ${written.sheets
              .slice(1)
              .map((name) => `"${name}"`)
              .join(', ')}`,
          ]
        : []
    return { written: target, rowsWritten: written.rows, warnings }
  },
}
