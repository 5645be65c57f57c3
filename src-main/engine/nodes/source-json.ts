import type { z } from 'zod'
import type { jsonSourceConfig } from '../../../src-shared/nodes/sources'
import { checkReadableFile, fileIdentity, resolvePath } from '../connectors/files/file-identity'
import { quoteLiteral } from '../duckdb/quote'
import { stageFileWith } from './stage-file'
import type { NodeExecutor } from './executor'

type JsonConfig = z.output<typeof jsonSourceConfig>

const duckdbFormat = { auto: 'auto', array: 'array', ndjson: 'newline_delimited' } as const

/** Reads a JSON array or NDJSON file with DuckDB's own JSON reader. */
export const jsonSourceExecutor: NodeExecutor<JsonConfig> = {
  role: 'source',
  identify: async (config, baseDir) => fileIdentity(resolvePath(baseDir, config.path)),
  run: async (context) => {
    const file = resolvePath(context.baseDir, context.config.path)
    await checkReadableFile(file)
    return stageFileWith(
      context,
      file,
      `read_json_auto(${quoteLiteral(file)}, format = '${duckdbFormat[context.config.format]}')`,
    )
  },
}
