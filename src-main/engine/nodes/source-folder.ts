import { delimiterCharacter } from '../connectors/files/delimiter'
import { stat } from 'node:fs/promises'
import type { z } from 'zod'
import { sluiceError, SluiceFailure } from '../../../src-shared/errors'
import type { folderSourceConfig } from '../../../src-shared/nodes/sources'
import { resolvePath } from '../connectors/files/file-identity'
import { quoteLiteral } from '../duckdb/quote'
import { stageFileWith } from './stage-file'
import type { NodeExecutor } from './executor'
import { DuckDBInstance } from '@duckdb/node-api'

type FolderConfig = z.output<typeof folderSourceConfig>

/** The files matching the pattern, sorted, by DuckDB's own glob (the same one its readers use). */
async function matchFiles(pattern: string): Promise<string[]> {
  const instance = await DuckDBInstance.create(':memory:')
  try {
    const connection = await instance.connect()
    const reader = await connection.runAndReadAll(
      `SELECT file FROM glob(${quoteLiteral(pattern)}) ORDER BY file`,
    )
    return reader.getRows().map((row) => String(row[0]))
  } finally {
    instance.closeSync()
  }
}

/** Reads every file matching a glob into one table, columns matched by name, plus the file name. */
export const folderSourceExecutor: NodeExecutor<FolderConfig> = {
  role: 'source',
  identify: async (config, baseDir) => {
    const files = await matchFiles(resolvePath(baseDir, config.pattern))
    const identities = await Promise.all(
      files.map(async (file) => {
        const info = await stat(file)
        return `${file}:${info.size}:${info.mtimeMs}`
      }),
    )
    return identities.join('|')
  },
  run: async (context) => {
    const { config } = context
    const pattern = resolvePath(context.baseDir, config.pattern)
    const files = await matchFiles(pattern)
    if (files.length === 0) {
      throw new SluiceFailure(
        sluiceError(
          'NO_FILES_MATCHED',
          { pattern },
          { nodeId: context.node.id, field: 'config.pattern' },
        ),
      )
    }
    const list = `[${files.map(quoteLiteral).join(', ')}]`
    const common = `union_by_name = true, filename = ${quoteLiteral(config.fileColumn)}`
    const delimiter = config.delimiter
      ? `, delim = ${quoteLiteral(delimiterCharacter(config.delimiter))}`
      : ''
    const reader = (sample: string) =>
      config.format === 'csv'
        ? `read_csv(${list}, ${common}, header = ${config.header}${delimiter}${sample})`
        : config.format === 'json'
          ? `read_json_auto(${list}, ${common}${sample})`
          : `read_parquet(${list}, ${common})`
    context.log('info', `${files.length} file(s) match ${pattern}`)
    const wholeFile = config.format === 'parquet' ? undefined : reader(', sample_size = -1')
    await stageFileWith(context, pattern, reader(''), wholeFile)
    return {}
  },
}
