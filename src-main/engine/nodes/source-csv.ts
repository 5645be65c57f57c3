import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { sluiceError, SluiceFailure } from '../../../src-shared/errors'
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

  const options = [
    `header = ${config.header}`,
    `skip = ${config.skipRows}`,
    `quote = ${quoteLiteral(config.quote)}`,
    `escape = ${quoteLiteral(config.escape)}`,
    `nullstr = ${quoteLiteralList(config.nullTokens)}`,
    `sample_size = ${config.sampleSize}`,
    `all_varchar = ${config.allText}`,
    'store_rejects = true',
    `rejects_table = ${quoteLiteral(`${node.id}__reject_errors`)}`,
    `rejects_scan = ${quoteLiteral(`${node.id}__reject_scans`)}`,
  ]
  if (config.delimiter) {
    options.push(`delim = ${quoteLiteral(config.delimiter === '\\t' ? '\t' : config.delimiter)}`)
  }
  const typeOverrides = Object.entries(config.columnTypes)
  if (typeOverrides.length > 0 && !config.allText) {
    options.push(
      `types = {${typeOverrides.map(([c, t]) => `${quoteLiteral(c)}: ${quoteLiteral(t)}`).join(', ')}}`,
    )
  }

  await runStatement(
    connection,
    `CREATE OR REPLACE TABLE ${out} AS SELECT * FROM read_csv(${quoteLiteral(readable)}, ${options.join(', ')})`,
    signal,
    (sample) =>
      context.progress({
        percent: sample.percent,
        bytes: Math.round((size * sample.percent) / 100),
        totalBytes: size,
      }),
  ).catch((thrown: unknown) => {
    throw translateReadError(thrown, file, node.id)
  })

  await runStatement(
    connection,
    `CREATE OR REPLACE TABLE ${rejects} AS
     SELECT ${quoteLiteral(file)} AS file, line::BIGINT AS line,
            string_agg(DISTINCT error_type || ': ' || error_message, '; ') AS reason,
            any_value(csv_line) AS content
     FROM ${rejectsTable} GROUP BY line ORDER BY line`,
    signal,
  )
  await connection.run(`DROP TABLE IF EXISTS ${rejectsTable}; DROP TABLE IF EXISTS ${scansTable}`)
  const rowsRejected = await queryNumber(connection, `SELECT count(*) FROM ${rejects}`)
  const rowsRead = await queryNumber(connection, `SELECT count(*) FROM ${out}`)

  if (rowsRead === 0) {
    const headerLines = config.skipRows + (config.header ? 1 : 0)
    const dataLines = await countDataLines(readable, headerLines)
    if (dataLines === 0) {
      const code =
        config.header && (await countDataLines(readable, config.skipRows)) > 0
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
    const readableHead = readable === file ? head : await readHead(readable, sampleBytes)
    const original = parseHeaderLine(readableHead.toString('utf8').replace(/^\uFEFF/, ''), {
      delimiter: config.delimiter === '\\t' ? '\t' : config.delimiter,
      quote: config.quote,
      escape: config.escape,
      skipRows: config.skipRows,
    })
    const renamed = describeRenamedHeaders(original, stagedNames)
    warnings.push(...renamed.map((note) => `${file}: ${note}`))
  }
  return { rowsRejected, warnings }
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
      { file, reason: message.replace(/^[A-Za-z ]+ Error: /, '').split('\n')[0] ?? message },
      { nodeId, detail: message },
    ),
  )
}
