import { basename, dirname, join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { parseParameterArguments } from '../../../src-shared/pipeline'
import { executePipeline, openStaging, previewNode } from '../../engine'
import { loadPipelineFile } from './load-pipeline'
import { formatError, formatRunSummary } from './summary'
import { createTerminalProgress } from './terminal-progress'

/** Exit codes: the run succeeded; the run failed; the pipeline or the command line is invalid. */
export const exitCodes = { ok: 0, runFailed: 1, invalid: 2 } as const

const usage = `Usage:
  sluice run <pipeline.json> [--param k=v]... [--json] [--staging file.duckdb] [--no-reuse]
  sluice validate <pipeline.json> [--param k=v]... [--json]
  sluice preview <pipeline.json> <nodeId> [--rows N] [--param k=v]... [--json]`

/** Where output goes; tests pass buffers, the bin passes the process streams. */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean }
  stderr: NodeJS.WritableStream
  signal?: AbortSignal
}

/** Runs one `sluice` command and returns its exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        param: { type: 'string', multiple: true, default: [] },
        json: { type: 'boolean', default: false },
        rows: { type: 'string', default: '100' },
        staging: { type: 'string' },
        'no-reuse': { type: 'boolean', default: false },
        'memory-limit': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    })
  } catch (thrown) {
    io.stderr.write(`${(thrown as Error).message}\n${usage}\n`)
    return exitCodes.invalid
  }
  const { values, positionals } = parsed
  const [command, pipelinePath, nodeId] = positionals
  if (
    values.help ||
    !command ||
    !pipelinePath ||
    !['run', 'validate', 'preview'].includes(command)
  ) {
    ;(values.help ? io.stdout : io.stderr).write(`${usage}\n`)
    return values.help ? exitCodes.ok : exitCodes.invalid
  }
  let parameters: Record<string, string>
  try {
    parameters = parseParameterArguments(values.param)
  } catch (thrown) {
    io.stderr.write(`${(thrown as Error).message}\n`)
    return exitCodes.invalid
  }
  const file = resolve(pipelinePath)
  const validation = await loadPipelineFile(file, parameters)
  const print = (value: unknown): void => {
    io.stdout.write(`${JSON.stringify(value, null, 2)}\n`)
  }
  if (!validation.ok) {
    if (values.json) {
      print({ ok: false, errors: validation.errors })
    } else {
      io.stderr.write(
        `${file} is not a valid pipeline:\n${validation.errors.map(formatError).join('\n')}\n`,
      )
    }
    return exitCodes.invalid
  }
  const pipeline = validation.pipeline
  if (command === 'validate') {
    if (values.json) {
      print({ ok: true, nodes: pipeline.nodes.length, edges: pipeline.edges.length })
    } else {
      io.stdout.write(
        `${file} is valid: ${pipeline.nodes.length} nodes, ${pipeline.edges.length} edges.\n`,
      )
    }
    return exitCodes.ok
  }

  const baseDir = dirname(file)
  const stagingPath = values.staging
    ? resolve(values.staging)
    : join(baseDir, '.sluice', `${basename(file, '.json')}.duckdb`)
  const staging = await openStaging({
    path: stagingPath,
    ...(values['memory-limit'] ? { memoryLimit: values['memory-limit'] } : {}),
  })
  const engineOptions = { staging, baseDir, workDir: `${stagingPath}.work` }
  try {
    if (command === 'preview') {
      if (!nodeId) {
        io.stderr.write(`preview needs a node id\n${usage}\n`)
        return exitCodes.invalid
      }
      if (!pipeline.nodes.some((node) => node.id === nodeId)) {
        io.stderr.write(
          `${file} has no node "${nodeId}"; nodes: ${pipeline.nodes.map((node) => node.id).join(', ')}\n`,
        )
        return exitCodes.invalid
      }
      const rows = Number.parseInt(values.rows, 10)
      if (!Number.isInteger(rows) || rows < 0) {
        io.stderr.write(`--rows expects a whole number, got "${values.rows}"\n`)
        return exitCodes.invalid
      }
      const preview = await previewNode(pipeline, nodeId, {
        ...engineOptions,
        rows,
        ...(io.signal ? { signal: io.signal } : {}),
      })
      if (values.json) {
        print(preview)
      } else {
        io.stdout.write(
          `${formatPreview(preview.columns, preview.rows)}\n(${preview.rows.length} rows in ${preview.ms} ms)\n`,
        )
      }
      return exitCodes.ok
    }
    const showProgress = !values.json && io.stdout.isTTY === true
    const result = await executePipeline(pipeline, {
      ...engineOptions,
      reuse: !values['no-reuse'],
      ...(io.signal ? { signal: io.signal } : {}),
      ...(showProgress ? { onEvent: createTerminalProgress(io.stdout as NodeJS.WriteStream) } : {}),
    })
    if (values.json) {
      print(result)
    } else {
      io.stdout.write(`${formatRunSummary(result)}\n`)
    }
    return result.status === 'succeeded' ? exitCodes.ok : exitCodes.runFailed
  } finally {
    staging.close()
  }
}

/** A plain-text grid of preview rows, each column as wide as its widest cell (up to 40). */
function formatPreview(
  columns: ReadonlyArray<{ name: string; type: string }>,
  rows: ReadonlyArray<Record<string, unknown>>,
): string {
  const cell = (value: unknown): string => {
    const text =
      value === null || value === undefined
        ? '∅'
        : typeof value === 'object'
          ? JSON.stringify(value)
          : String(value)
    return text.length > 40 ? `${text.slice(0, 39)}…` : text
  }
  const header = columns.map((column) => `${column.name} (${column.type})`)
  const body = rows.map((row) => columns.map((column) => cell(row[column.name])))
  const widths = header.map((title, index) =>
    Math.min(40, Math.max(title.length, ...body.map((line) => (line[index] ?? '').length))),
  )
  const line = (cells: string[]): string =>
    cells.map((text, index) => text.padEnd(widths[index] ?? 0)).join(' │ ')
  return [
    line(header),
    widths.map((width) => '─'.repeat(width)).join('─┼─'),
    ...body.map(line),
  ].join('\n')
}
