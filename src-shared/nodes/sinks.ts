import { z } from 'zod'
import { defineNodeKind, onePort } from './spec'

const filePath = z.string().min(1, 'choose where to write')
const input = () => onePort('in', 'The rows to write.')
const noOutputs = () => []

export const csvSinkConfig = z.strictObject({
  path: filePath,
  /** One ASCII character, or `\t` for a tab: DuckDB's CSV writer takes nothing else. */
  delimiter: z
    .string()
    .regex(/^([\x20-\x7e]|\\t)$/, 'use one plain character such as ; or | (or \\t for a tab)')
    .default(','),
  header: z.boolean().default(true),
  /**
   * Cells starting with = + - @, tab or CR are prefixed with ' so spreadsheet apps show them as
   * text instead of running them as formulas (CSV injection).
   */
  escapeFormulas: z.boolean().default(true),
})

export const csvSink = defineNodeKind({
  kind: 'sink.csv',
  family: 'sink',
  title: 'Write CSV',
  help: 'Writes a UTF-8 CSV file. Formula-like cells are escaped by default so Excel shows them as text.',
  config: csvSinkConfig,
  defaults: { path: '' },
  inputs: input,
  outputs: noOutputs,
})

export const parquetSinkConfig = z.strictObject({
  path: filePath,
  compression: z.enum(['zstd', 'snappy', 'gzip', 'uncompressed']).default('zstd'),
})

export const parquetSink = defineNodeKind({
  kind: 'sink.parquet',
  family: 'sink',
  title: 'Write Parquet',
  help: 'Writes a Parquet file, keeping column types.',
  config: parquetSinkConfig,
  defaults: { path: '' },
  inputs: input,
  outputs: noOutputs,
})

export const jsonSinkConfig = z.strictObject({
  path: filePath,
  format: z.enum(['ndjson', 'array']).default('ndjson'),
})

export const jsonSink = defineNodeKind({
  kind: 'sink.json',
  family: 'sink',
  title: 'Write JSON',
  help: 'Writes newline-delimited JSON (one object per line) or one JSON array.',
  config: jsonSinkConfig,
  defaults: { path: '' },
  inputs: input,
  outputs: noOutputs,
})

export const duckdbSinkConfig = z.strictObject({
  /** The DuckDB database file; created when missing. */
  path: filePath,
  table: z.string().min(1, 'name the table'),
  mode: z.enum(['replace', 'append', 'create']).default('replace'),
})

export const duckdbSink = defineNodeKind({
  kind: 'sink.duckdb',
  family: 'sink',
  title: 'Write DuckDB table',
  help:
    'Writes a table into a DuckDB database file: replace it, append to it, or create it (failing ' +
    'if it exists). The write is atomic: a failure leaves the table as it was.',
  config: duckdbSinkConfig,
  defaults: { path: '', table: '' },
  inputs: input,
  outputs: noOutputs,
})
