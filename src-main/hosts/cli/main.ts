import { basename, dirname, join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { parseParameterArguments } from '../../../src-shared/pipeline'
import { executePipeline, openStaging, previewNode } from '../../engine'
import { exitCodes, runExitCode } from './exit-codes'
import { loadPipelineFile } from './load-pipeline'
import { formatError, formatRunSummary } from './summary'
import type { ConnectionArguments } from './connection-commands'
import { projectUsage, runProjectCommand, type ProjectCommandOptions } from './project-commands'
import { formatCell, formatTable } from './table'
import { createTerminalProgress } from './terminal-progress'

export { exitCodes } from './exit-codes'

const usage = `Usage:
  sluice run <pipeline.json> [--param k=v]... [--json] [--staging file.duckdb] [--no-reuse]
  sluice validate <pipeline.json> [--param k=v]... [--json]
  sluice preview <pipeline.json> <nodeId> [--rows N] [--param k=v]... [--json]
${projectUsage}

Exit codes: 0 the run succeeded; 1 it failed; 2 the pipeline or the command line is invalid;
  3 a quality gate stopped one or more pushes (everything else ran).`

/** Commands that only exist on project files. */
const projectOnly = new Set([
  'create',
  'list',
  'history',
  'versions',
  'diff',
  'export',
  'import',
  'export-project',
  'import-project',
  'export-rules',
  'import-rules',
  'connections',
  'add-connection',
  'test-connection',
  'browse',
])

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
        version: { type: 'string' },
        name: { type: 'string' },
        limit: { type: 'string', default: '50' },
        'with-runs': { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        kind: { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        database: { type: 'string' },
        user: { type: 'string' },
        'secret-ref': { type: 'string' },
        'ssl-mode': { type: 'string' },
        'ssl-ca': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    })
  } catch (thrown) {
    io.stderr.write(`${(thrown as Error).message}\n${usage}\n`)
    return exitCodes.invalid
  }
  const { values, positionals } = parsed
  const [command, pipelinePath, nodeId] = positionals
  if (command && (projectOnly.has(command) || pipelinePath?.endsWith('.sluice'))) {
    return runProjectOnCli(command, positionals.slice(1), values, io)
  }
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
        const header = preview.columns.map((column) => `${column.name} (${column.type})`)
        const cells = preview.rows.map((row) =>
          preview.columns.map((column) => formatCell(row[column.name])),
        )
        io.stdout.write(
          `${formatTable(header, cells)}\n(${preview.rows.length} rows in ${preview.ms} ms)\n`,
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
    return runExitCode(result.status)
  } finally {
    staging.close()
  }
}

/** Checks the numeric options, then hands a project command to the service. */
async function runProjectOnCli(
  command: string,
  args: readonly string[],
  values: {
    param: string[]
    json: boolean
    rows: string
    'no-reuse': boolean
    'memory-limit'?: string | undefined
    version?: string | undefined
    name?: string | undefined
    limit: string
    'with-runs': boolean
    'dry-run': boolean
    kind?: string | undefined
    host?: string | undefined
    port?: string | undefined
    database?: string | undefined
    user?: string | undefined
    'secret-ref'?: string | undefined
    'ssl-mode'?: string | undefined
    'ssl-ca'?: string | undefined
  },
  io: CliIo,
): Promise<number> {
  const whole = (option: string, text: string | undefined, min: number): number | undefined => {
    if (text === undefined) {
      return undefined
    }
    const value = Number(text)
    if (!Number.isInteger(value) || value < min) {
      throw new Error(`--${option} expects a whole number from ${min}, got "${text}"`)
    }
    return value
  }
  let options: ProjectCommandOptions
  try {
    const version = whole('version', values.version, 1)
    const port = whole('port', values.port, 1)
    const connection: ConnectionArguments = Object.fromEntries(
      Object.entries({
        kind: values.kind,
        host: values.host,
        port,
        database: values.database,
        user: values.user,
        secretRef: values['secret-ref'],
        sslMode: values['ssl-mode'],
        sslCa: values['ssl-ca'],
      }).filter(([, value]) => value !== undefined),
    )
    options = {
      param: parseParameterArguments(values.param),
      json: values.json,
      rows: whole('rows', values.rows, 0) ?? 100,
      noReuse: values['no-reuse'],
      limit: whole('limit', values.limit, 1) ?? 50,
      withRuns: values['with-runs'],
      dryRun: values['dry-run'],
      connection,
      ...(values['memory-limit'] ? { memoryLimit: values['memory-limit'] } : {}),
      ...(values.name ? { name: values.name } : {}),
      ...(version === undefined ? {} : { version }),
    }
  } catch (thrown) {
    io.stderr.write(`${(thrown as Error).message}\n`)
    return exitCodes.invalid
  }
  return runProjectCommand(command, args, options, io)
}
