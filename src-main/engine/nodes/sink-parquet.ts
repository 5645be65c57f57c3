import type { z } from 'zod'
import type { parquetSinkConfig } from '../../../src-shared/nodes/sinks'
import { onlyInput, type NodeExecutor } from './executor'
import { copyToFile } from './sink-file'

/** Writes Parquet with DuckDB's writer, keeping column types. */
export const parquetSinkExecutor: NodeExecutor<z.output<typeof parquetSinkConfig>> = {
  role: 'sink',
  run: (context) =>
    copyToFile(
      context,
      context.config.path,
      `SELECT * FROM ${onlyInput(context.inputs).ref}`,
      `FORMAT parquet, COMPRESSION ${context.config.compression}`,
    ),
}
