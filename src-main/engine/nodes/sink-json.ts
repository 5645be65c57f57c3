import type { z } from 'zod'
import type { jsonSinkConfig } from '../../../src-shared/nodes/sinks'
import { onlyInput, type NodeExecutor } from './executor'
import { compressionFor, copyToFile } from './sink-file'

/** Writes NDJSON or a JSON array with DuckDB's writer, compressed when the name ends in .gz or .zst. */
export const jsonSinkExecutor: NodeExecutor<z.output<typeof jsonSinkConfig>> = {
  role: 'sink',
  run: (context) =>
    copyToFile(
      context,
      context.config.path,
      `SELECT * FROM ${onlyInput(context.inputs).ref}`,
      `FORMAT json, ARRAY ${context.config.format === 'array'}, COMPRESSION ${compressionFor(context.config.path)}`,
    ),
}
