import { delimiterCharacter } from '../connectors/files/delimiter'
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { sluiceError, SluiceFailure, engineSentence } from '../../../src-shared/errors'
import type { csvSourceConfig } from '../../../src-shared/nodes/sources'
import type { z } from 'zod'
import { describeRenamedHeaders, parseHeaderLine } from '../connectors/files/csv-header'
import {
  detectEncoding,
  firstInvalidUtf8Offset,
  isUtf8,
  transcodeToUtf8,
  type ConcreteEncoding,
} from '../connectors/files/encoding'
import {
  checkReadableFile,
  fileIdentity,
  readHead,
  resolvePath,
} from '../connectors/files/file-identity'
import { countDataLines } from '../connectors/files/line-count'
import { copyWithLfEndings, recordLineEndings } from '../connectors/files/line-endings'
import { quoteIdent, quoteLiteral, quoteLiteralList } from '../duckdb/quote'
import { queryNumber, queryRows, runStatement } from '../duckdb/query'
import type { NodeContext, NodeExecutor } from './executor'

type CsvConfig = z.output<typeof csvSourceConfig>

const sampleBytes = 64 * 1024

/** Reads a delimited text file into the staging database, routing unreadable lines to `rejects`. */
export const csvSourceExecutor: NodeExecutor<CsvConfig> = {
  role: 'source',
  identify: async (config, baseDir) => fileIdentity(resolvePath(baseDir, config.path)),
  run: stageCsv,
  peek: peekCsv,
}

/**
 * The file's rows as a lazy `read_csv` with the node's own options, so the first rows of a big
 * file show at once. Unreadable lines are skipped here as staging routes them to `rejects`;
 * files that need transcoding, and any problem, are left to staging and its clear errors.
 */
async function peekCsv(config: CsvConfig, baseDir: string): Promise<string | null> {
  const file = resolvePath(baseDir, config.path)
  try {
    const { size } = await checkReadableFile(file)
    const encoding =
      config.encoding === 'auto'
        ? detectEncoding(await readHead(file, sampleBytes))
        : config.encoding
    if (size === 0 || !isUtf8(encoding)) {
      return null
    }
  } catch {
    return null
  }
  return `SELECT * FROM read_csv(${quoteLiteral(file)}, ${csvReadOptions(config)}, ignore_errors = true)`
}

async function stageCsv(context: NodeContext<CsvConfig>) {
  const { config, node, connection, signal } = context
  const file = resolvePath(context.baseDir, config.path)
  const { size } = await checkReadableFile(file)
  if (size === 0) {
    throw new SluiceFailure(sluiceError('FILE_EMPTY', { file }, { nodeId: node.id }))
  }
  const head = await readHead(file, sampleBytes)
  const encoding = config.encoding === 'auto' ? detectEncoding(head) : config.encoding
  if (config.encoding === 'auto' && !isUtf8(encoding)) {
    context.log('info', `${file}: detected encoding ${encoding}`)
  }
  const readable = await utf8Copy(context, file, head, encoding)
  const warnings: string[] = []
  const rejectsTable = quoteIdent(`${node.id}__reject_errors`)
  const scansTable = quoteIdent(`${node.id}__reject_scans`)
  const out = context.outputs.out as string
  const rejects = context.outputs.rejects as string

  const progress = (sample: { percent: number }) =>
    context.progress({
      percent: sample.percent,
      bytes: Math.round((size * sample.percent) / 100),
      totalBytes: size,
    })
  const read = (path: string, newLine?: string) =>
    runStatement(
      connection,
      `CREATE OR REPLACE TABLE ${out} AS SELECT * FROM read_csv(${quoteLiteral(path)}, ${csvReadOptions(config, node.id, newLine)})`,
      signal,
      progress,
    )
  const staged = await readDespiteLineEndings(context, readable, read).catch((thrown: unknown) => {
    throw translateReadError(thrown, file, node.id)
  })

  await runStatement(
    connection,
    `CREATE OR REPLACE TABLE ${rejects} AS
     SELECT ${quoteLiteral(file)} AS file, line::BIGINT AS line,
            -- DuckDB logs one error per column it could not fill, with contradictory counts;
            -- the first column's error is the line's reason, so reruns write the same file.
            arg_min(error_type || ': ' || error_message, column_idx) AS reason,
            any_value(csv_line) AS content
     FROM ${rejectsTable} GROUP BY line ORDER BY line`,
    signal,
  )
  await connection.run(`DROP TABLE IF EXISTS ${rejectsTable}; DROP TABLE IF EXISTS ${scansTable}`)
  const rowsRejected = await queryNumber(connection, `SELECT count(*) FROM ${rejects}`)
  const rowsRead = await queryNumber(connection, `SELECT count(*) FROM ${out}`)

  if (rowsRead === 0) {
    const headerLines = config.skipRows + (config.header ? 1 : 0)
    const dataLines = await countDataLines(staged, headerLines)
    if (dataLines === 0) {
      const code =
        config.header && (await countDataLines(staged, config.skipRows)) > 0
          ? 'FILE_HEADER_ONLY'
          : 'FILE_EMPTY'
      throw new SluiceFailure(sluiceError(code, { file }, { nodeId: node.id }))
    }
    throw new SluiceFailure(
      sluiceError(
        'FILE_ZERO_ROWS',
        { file, lines: dataLines },
        { nodeId: node.id, detail: `${rowsRejected} lines rejected` },
      ),
    )
  }
  if (rowsRejected > 0) {
    warnings.push(`${rowsRejected} line(s) of ${file} could not be read; see the rejects output`)
  }
  if (config.header) {
    const columns = await queryRows(connection, `SELECT column_name FROM (DESCRIBE ${out})`)
    const stagedNames = columns.map((row) => String(row.column_name))
    const readableHead = staged === file ? head : await readHead(staged, sampleBytes)
    const original = parseHeaderLine(readableHead.toString('utf8').replace(/^\uFEFF/, ''), {
      delimiter: delimiterCharacter(config.delimiter),
      quote: config.quote,
      escape: config.escape,
      skipRows: config.skipRows,
    })
    const renamed = describeRenamedHeaders(original, stagedNames)
    warnings.push(...renamed.map((note) => `${file}: ${note}`))
  }
  return { rowsRejected, warnings, portRows: { out: rowsRead, rejects: rowsRejected } }
}

/** DuckDB's `read_csv` options for a config; with a node id, rejects go to tables named after it. */
function csvReadOptions(config: CsvConfig, nodeId?: string, newLine?: string): string {
  // DuckDB refuses an empty `nullstr` list; a user who clears the list means "nothing is NULL",
  // so a noncharacter that never occurs in text stands in.
  const nullTokens = config.nullTokens.length > 0 ? config.nullTokens : ['\uFFFF']
  const options = [
    `header = ${config.header}`,
    `skip = ${config.skipRows}`,
    `quote = ${quoteLiteral(config.quote)}`,
    `escape = ${quoteLiteral(config.escape)}`,
    `nullstr = ${quoteLiteralList(nullTokens)}`,
    `sample_size = ${config.sampleSize}`,
    `all_varchar = ${config.allText}`,
  ]
  if (nodeId !== undefined) {
    options.push(
      'store_rejects = true',
      `rejects_table = ${quoteLiteral(`${nodeId}__reject_errors`)}`,
      `rejects_scan = ${quoteLiteral(`${nodeId}__reject_scans`)}`,
    )
  }
  if (config.delimiter) {
    options.push(`delim = ${quoteLiteral(delimiterCharacter(config.delimiter))}`)
  }
  if (newLine) {
    options.push(`new_line = ${quoteLiteral(newLine)}`)
  }
  const typeOverrides = Object.entries(config.columnTypes)
  if (typeOverrides.length > 0 && !config.allText) {
    const types = typeOverrides.map(
      ([column, type]) => `${quoteLiteral(column)}: ${quoteLiteral(type)}`,
    )
    options.push(`types = {${types.join(', ')}}`)
  }
  return options.join(', ')
}

/**
 * Reads the file; when DuckDB's sniffer gives up because of line endings (a quoted field holding
 * a different line break than the records, or records mixing CRLF and LF), reads again with the
 * record line ending stated, or from a copy with LF endings. Returns the path actually read.
 */
async function readDespiteLineEndings(
  context: NodeContext<CsvConfig>,
  path: string,
  read: (path: string, newLine?: string) => Promise<void>,
): Promise<string> {
  try {
    await read(path)
    return path
  } catch (thrown) {
    if (!(thrown instanceof Error) || !/Error when sniffing file/.test(thrown.message)) {
      throw thrown
    }
    const sample = (await readHead(path, sampleBytes)).toString('latin1')
    const endings = recordLineEndings(sample, context.config.quote)
    if (endings === 'lf' || endings === 'crlf') {
      // DuckDB takes the line ending as escaped text: the characters backslash and n.
      await read(path, endings === 'lf' ? '\\n' : '\\r\\n')
      return path
    }
    if (endings !== 'mixed') {
      throw thrown
    }
    const copy = join(
      context.workDir,
      `${createHash('sha256').update(path).digest('hex').slice(0, 24)}.lf.csv`,
    )
    await copyWithLfEndings(path, copy)
    context.log('warn', `${path} mixes CRLF and LF line endings; read with them made uniform`)
    await read(copy, '\\n')
    return copy
  }
}

/**
 * DuckDB reads UTF-8 only (offline, without its encodings extension), so other encodings are
 * streamed through iconv-lite into a UTF-8 copy in the work folder, named by the file's identity
 * so an unchanged file is transcoded once.
 */
async function utf8Copy(
  context: NodeContext<CsvConfig>,
  file: string,
  head: Buffer,
  encoding: ConcreteEncoding,
): Promise<string> {
  if (isUtf8(encoding)) {
    const badOffset = firstInvalidUtf8Offset(head, true)
    if (badOffset !== -1) {
      throw new SluiceFailure(
        sluiceError(
          'FILE_UNDECODABLE',
          { file, encoding: 'UTF-8', where: `first bad byte at offset ${badOffset}` },
          { nodeId: context.node.id, field: 'config.encoding' },
        ),
      )
    }
    return file
  }
  const identity = await fileIdentity(file)
  const name = createHash('sha256')
    .update(`${file}\n${identity}\n${encoding}`)
    .digest('hex')
    .slice(0, 24)
  const target = join(context.workDir, `${name}.utf8.csv`)
  if (existsSync(target)) {
    return target
  }
  const { undecodable } = await transcodeToUtf8(file, target, encoding, context.signal)
  if (undecodable > 0) {
    throw new SluiceFailure(
      sluiceError(
        'FILE_UNDECODABLE',
        { file, encoding, where: `${undecodable} byte sequence(s) cannot be decoded` },
        { nodeId: context.node.id, field: 'config.encoding' },
      ),
    )
  }
  return target
}

function translateReadError(thrown: unknown, file: string, nodeId: string): unknown {
  const message = thrown instanceof Error ? thrown.message : String(thrown)
  if (thrown instanceof SluiceFailure) {
    return thrown
  }
  if (/Invalid unicode|byte sequence mismatch/i.test(message)) {
    if (/Error when sniffing file/.test(message)) {
      const reason =
        'its layout (delimiter, quote, line endings) could not be detected; set the delimiter and quote'
      return new SluiceFailure(
        sluiceError('FILE_UNREADABLE', { file, reason }, { nodeId, detail: message }),
      )
    }
    return new SluiceFailure(
      sluiceError(
        'FILE_UNDECODABLE',
        { file, encoding: 'UTF-8', where: 'invalid bytes in the data' },
        { nodeId, detail: message },
      ),
    )
  }
  return new SluiceFailure(
    sluiceError(
      'FILE_UNREADABLE',
      { file, reason: engineSentence(message) },
      { nodeId, detail: message },
    ),
  )
}
