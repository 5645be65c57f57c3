import { readFile } from 'node:fs/promises'
import { sluiceError, type SluiceError } from '../../../src-shared/errors'
import { validatePipeline, type ValidationResult } from '../../../src-shared/pipeline'

/** Reads and validates a pipeline file; unreadable files and bad JSON become errors naming the file. */
export async function loadPipelineFile(
  path: string,
  parameters: Record<string, string>,
): Promise<ValidationResult> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (thrown) {
    const code = (thrown as NodeJS.ErrnoException).code
    const error: SluiceError =
      code === 'ENOENT'
        ? sluiceError('FILE_NOT_FOUND', { file: path })
        : sluiceError('FILE_UNREADABLE', { file: path, reason: String(thrown) })
    return { ok: false, errors: [error] }
  }
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (thrown) {
    const reason = `${path} is not valid JSON (${(thrown as Error).message})`
    return { ok: false, errors: [sluiceError('FORMAT_UNKNOWN', { reason })] }
  }
  return validatePipeline(raw, { parameters })
}
