import type { z } from 'zod'
import type { parquetSourceConfig } from '../../../src-shared/nodes/sources'
import { checkReadableFile, fileIdentity, resolvePath } from '../connectors/files/file-identity'
import { quoteLiteral } from '../duckdb/quote'
import { stageFileWith } from './stage-file'
import type { NodeExecutor } from './executor'

type ParquetConfig = z.output<typeof parquetSourceConfig>

/** Reads a Parquet file with its stored schema. */
export const parquetSourceExecutor: NodeExecutor<ParquetConfig> = {
  role: 'source',
  identify: async (config, baseDir) => fileIdentity(resolvePath(baseDir, config.path)),
  run: async (context) => {
    const file = resolvePath(context.baseDir, context.config.path)
    await checkReadableFile(file)
    return stageFileWith(context, file, `read_parquet(${quoteLiteral(file)})`)
  },
  // Parquet is read by row groups, so a preview's LIMIT reads only the first of them.
  peek: async (config, baseDir) => {
    const file = resolvePath(baseDir, config.path)
    try {
      await checkReadableFile(file)
    } catch {
      return null
    }
    return `SELECT * FROM read_parquet(${quoteLiteral(file)})`
  },
}
