import { z } from 'zod'
import { defineNodeKind, type PortSpec } from './spec'

/** Encodings the CSV source reads. Non-UTF-8 ones are transcoded to a UTF-8 staging file first. */
export const csvEncodings = [
  'auto',
  'utf-8',
  'utf-8-bom',
  'utf-16le',
  'utf-16be',
  'gbk',
  'gb18030',
  'big5',
  'shift_jis',
  'latin1',
] as const
export type CsvEncoding = (typeof csvEncodings)[number]

const filePath = z.string().min(1, 'choose a file')
const singleChar = z
  .string()
  .max(2, 'use one character (or \\t)')
  .refine((text) => !/[\r\n]/.test(text), 'a line break cannot separate or quote fields')

export const csvSourceConfig = z.strictObject({
  path: filePath,
  /** Empty means detect. */
  delimiter: singleChar.default(''),
  quote: singleChar.default('"'),
  escape: singleChar.default('"'),
  header: z.boolean().default(true),
  skipRows: z.int().min(0).default(0),
  encoding: z.enum(csvEncodings).default('auto'),
  nullTokens: z.array(z.string()).default(['', 'NA', 'NULL']),
  /** Column name → DuckDB type, overriding detection. */
  columnTypes: z.record(z.string(), z.string().min(1)).default({}),
  allText: z.boolean().default(false),
  sampleSize: z.int().min(1).default(20480),
})

const tableOut: PortSpec[] = [{ name: 'out', required: false, help: 'The rows read.' }]

export const csvSource = defineNodeKind({
  kind: 'source.csv',
  family: 'source',
  title: 'CSV / TSV file',
  help:
    'Reads a delimited text file. Delimiter, types and encoding are detected unless set. Rows that ' +
    'cannot be parsed go to the rejects output with their line number and reason.',
  config: csvSourceConfig,
  defaults: { path: '' },
  inputs: () => [],
  outputs: () => [
    ...tableOut,
    { name: 'rejects', required: false, help: 'Lines that could not be read: file, line, reason.' },
  ],
})

export const jsonSourceConfig = z.strictObject({
  path: filePath,
  format: z.enum(['auto', 'array', 'ndjson']).default('auto'),
})

export const jsonSource = defineNodeKind({
  kind: 'source.json',
  family: 'source',
  title: 'JSON / NDJSON file',
  help: 'Reads a JSON array of objects or newline-delimited JSON; nested values stay as structs/lists.',
  config: jsonSourceConfig,
  defaults: { path: '' },
  inputs: () => [],
  outputs: () => tableOut,
})

export const parquetSourceConfig = z.strictObject({ path: filePath })

export const parquetSource = defineNodeKind({
  kind: 'source.parquet',
  family: 'source',
  title: 'Parquet file',
  help: 'Reads a Parquet file with its stored schema.',
  config: parquetSourceConfig,
  defaults: { path: '' },
  inputs: () => [],
  outputs: () => tableOut,
})

export const folderSourceConfig = z.strictObject({
  /** A glob such as `data/2024-*.csv`, relative to the pipeline file or absolute. */
  pattern: z.string().min(1, 'give a file pattern such as data/*.csv'),
  format: z.enum(['csv', 'json', 'parquet']).default('csv'),
  fileColumn: z.string().min(1).default('source_file'),
  /** CSV only. */
  delimiter: singleChar.default(''),
  header: z.boolean().default(true),
})

export const folderSource = defineNodeKind({
  kind: 'source.folder',
  family: 'source',
  title: 'Folder of files',
  help:
    'Reads every file matching a pattern into one table, matching columns by name, and adds a ' +
    'column naming the file each row came from.',
  config: folderSourceConfig,
  defaults: { pattern: '' },
  inputs: () => [],
  outputs: () => tableOut,
})
