import type { z } from 'zod'
import { sluiceError, SluiceFailure } from '../../../src-shared/errors'
import type { jsonSourceConfig } from '../../../src-shared/nodes/sources'
import {
  checkReadableFile,
  fileIdentity,
  readHead,
  resolvePath,
} from '../connectors/files/file-identity'
import { quoteLiteral } from '../duckdb/quote'
import { queryNumber } from '../duckdb/query'
import type { NodeExecutor } from './executor'
import { stageFileWith } from './stage-file'

type JsonConfig = z.output<typeof jsonSourceConfig>

const duckdbFormat = { auto: 'auto', array: 'array', ndjson: 'newline_delimited' } as const

/** Reads a JSON array or NDJSON file with DuckDB's own JSON reader. */
export const jsonSourceExecutor: NodeExecutor<JsonConfig> = {
  role: 'source',
  identify: async (config, baseDir) => fileIdentity(resolvePath(baseDir, config.path)),
  run: async (context) => {
    const { node, connection } = context
    const file = resolvePath(context.baseDir, context.config.path)
    const { size } = await checkReadableFile(file)
    if (size === 0) {
      throw new SluiceFailure(sluiceError('FILE_EMPTY', { file }, { nodeId: node.id }))
    }
    const format = await readerFormat(file, context.config.format)
    const read = (options: string) => `read_json_auto(${quoteLiteral(file)}, ${options})`
    await stageFileWith(
      context,
      file,
      read(`format = '${format}'`),
      read(`format = '${format}', sample_size = -1`),
    )
    // An empty array (or only blank lines) reads as no rows and one meaningless `json` column.
    if ((await queryNumber(connection, `SELECT count(*) FROM ${context.outputs.out}`)) === 0) {
      throw new SluiceFailure(sluiceError('FILE_EMPTY', { file }, { nodeId: node.id }))
    }
    return {}
  },
}

/**
 * DuckDB's format for the file. With a byte-order mark (Windows tools write one), DuckDB 1.5's
 * detection reads an array as one row holding the whole array, and its NDJSON reader refuses the
 * file; it reads both correctly when told "array" and "auto" respectively.
 */
async function readerFormat(file: string, configured: JsonConfig['format']): Promise<string> {
  const head = await readHead(file, 4096)
  const bom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf
  if (!bom) {
    return duckdbFormat[configured]
  }
  if (configured === 'auto') {
    const first = head.subarray(3).toString('utf8').trimStart()[0]
    return first === '[' ? 'array' : 'auto'
  }
  return configured === 'ndjson' ? 'auto' : 'array'
}
