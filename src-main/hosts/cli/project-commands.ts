import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { ApiEvent } from '../../../src-shared/api'
import { SluiceFailure, toSluiceError } from '../../../src-shared/errors'
import { describeDiff } from '../../../src-shared/pipeline'
import type { RunRecord } from '../../../src-shared/project'
import type { RunEvent } from '../../../src-shared/run'
import { createEnvironmentSecrets, createSluiceService, type SluiceService } from '../../service'
import {
  connectionCommands,
  connectionUsage,
  type ConnectionArguments,
} from './connection-commands'
import { runExitCode } from './exit-codes'
import type { CliIo } from './main'
import { findPipeline } from './find-pipeline'
import { rulesCommands, rulesUsage } from './rules-commands'
import { formatError, formatRunSummary } from './summary'
import { formatCell, formatTable } from './table'
import { createTerminalProgress } from './terminal-progress'

export const projectUsage = `  sluice create <project.sluice> [--name N]
  sluice list <project.sluice>
  sluice run <project.sluice> <pipeline> [--param k=v]... [--version N] [--json] [--no-reuse]
         [--dry-run]   (pushes report what they would change and change nothing)
  sluice preview <project.sluice> <pipeline> <nodeId> [--rows N] [--param k=v]...
  sluice history <project.sluice> [pipeline] [--limit N] [--json]
  sluice versions <project.sluice> <pipeline>
  sluice diff <project.sluice> <pipeline> <from version> [to version]
  sluice export <project.sluice> <pipeline> [--version N] > pipeline.json
  sluice import <project.sluice> <pipeline.json> [--name N]
  sluice export-project <project.sluice> <out.json> [--with-runs]
  sluice import-project <exported.json> <new project.sluice>
${rulesUsage}
${connectionUsage}`

/** Options the project commands read (parsed by `runCli`). */
export interface ProjectCommandOptions {
  param: Record<string, string>
  json: boolean
  rows: number
  noReuse: boolean
  memoryLimit?: string
  name?: string
  version?: number
  limit: number
  withRuns: boolean
  dryRun: boolean
  connection: ConnectionArguments
}

export type ProjectCommand = (
  service: SluiceService,
  args: readonly string[],
  options: ProjectCommandOptions,
  io: CliIo,
) => Promise<number>

/**
 * Runs a command on a project file through the service, exactly as the app does; secrets come
 * from `SLUICE_SECRET_<NAME>` environment variables. Returns the exit code.
 */
export async function runProjectCommand(
  command: string,
  args: readonly string[],
  options: ProjectCommandOptions,
  io: CliIo,
): Promise<number> {
  const handler = commands[command]
  const [target] = args
  if (!handler || !target) {
    io.stderr.write(`Usage:\n${projectUsage}\n`)
    return 2
  }
  const service = createSluiceService({
    secrets: createEnvironmentSecrets(),
    ...(options.memoryLimit ? { memoryLimit: options.memoryLimit } : {}),
  })
  try {
    if (command === 'import-project') {
      const [from, to] = args
      if (!from || !to) {
        io.stderr.write(`import-project needs the exported JSON and the new project file\n`)
        return 2
      }
      const info = await service.client['project/import']({ from, path: to })
      const pipelines = await service.client['pipeline/list']({})
      io.stdout.write(`Created ${info.path} with ${pipelines.length} pipeline(s).\n`)
      return 0
    }
    if (command === 'create') {
      const name = options.name ?? target.replace(/^.*[\\/]/, '').replace(/\.sluice$/, '')
      const info = await service.client['project/create']({ path: target, name })
      io.stdout.write(`Created project "${info.name}" at ${info.path}.\n`)
      return 0
    }
    await service.client['project/open']({ path: target })
    return await handler(service, args.slice(1), options, io)
  } catch (thrown) {
    io.stderr.write(`${formatError(toSluiceError(thrown))}\n`)
    return thrown instanceof SluiceFailure && isUsageError(thrown) ? 2 : 1
  } finally {
    await service.close()
  }
}

/** Errors about what was asked for (no such pipeline, invalid pipeline) exit 2, like bad usage. */
function isUsageError(failure: SluiceFailure): boolean {
  return ['PIPELINE_NOT_FOUND', 'VERSION_NOT_FOUND', 'NODE_NOT_FOUND', 'PIPELINE_INVALID'].includes(
    failure.error.code,
  )
}

function needs(what: string, value: string | undefined, io: CliIo): value is string {
  if (value === undefined) {
    io.stderr.write(`This command needs ${what}.\nUsage:\n${projectUsage}\n`)
  }
  return value !== undefined
}

const commands: Record<string, ProjectCommand> = {
  ...connectionCommands,
  ...rulesCommands,
  create: async () => 0,
  'import-project': async () => 0,
  list: async ({ client }, _args, options, io) => {
    const pipelines = await client['pipeline/list']({})
    if (options.json) {
      io.stdout.write(`${JSON.stringify(pipelines, null, 2)}\n`)
      return 0
    }
    io.stdout.write(
      `${formatTable(
        ['pipeline', 'version', 'unsaved', 'tags', 'updated'],
        pipelines.map((pipeline) => [
          pipeline.name,
          pipeline.latestVersion === null ? '–' : String(pipeline.latestVersion),
          pipeline.unsaved ? 'yes' : '',
          pipeline.tags.join(', '),
          pipeline.updatedAt.slice(0, 19).replace('T', ' '),
        ]),
      )}\n`,
    )
    return 0
  },
  run: async (service, [name], options, io) => {
    const { client } = service
    if (!needs('a pipeline name', name, io)) {
      return 2
    }
    const pipeline = await findPipeline(client, name)
    const version = options.version === undefined ? {} : { version: options.version }
    const check = await client['pipeline/validate']({
      id: pipeline.id,
      parameters: options.param,
      ...version,
    })
    if (!check.ok) {
      io.stderr.write(
        `Pipeline "${pipeline.name}" is not valid:\n${check.errors.map(formatError).join('\n')}\n`,
      )
      return 2
    }
    const showProgress = !options.json && io.stdout.isTTY === true
    const stopProgress = showProgress
      ? service.subscribe(terminalProgressForRuns(io.stdout as NodeJS.WriteStream))
      : () => undefined
    const { runId } = await client['run/start']({
      pipelineId: pipeline.id,
      parameters: options.param,
      trigger: 'cli',
      reuse: !options.noReuse,
      dryRun: options.dryRun,
      ...version,
    })
    io.signal?.addEventListener('abort', () => void client['run/cancel']({ runId }), { once: true })
    const record = await client['run/wait']({ runId })
    stopProgress()
    io.stdout.write(
      options.json ? `${JSON.stringify(record, null, 2)}\n` : `${summarise(record)}\n`,
    )
    return runExitCode(record.status)
  },
  preview: async ({ client }, [name, nodeId], options, io) => {
    if (!needs('a pipeline name', name, io) || !needs('a node id', nodeId, io)) {
      return 2
    }
    const pipeline = await findPipeline(client, name)
    const preview = await client['preview/node']({
      pipelineId: pipeline.id,
      nodeId,
      rows: options.rows,
      parameters: options.param,
    })
    const header = preview.columns.map((column) => `${column.name} (${column.type})`)
    const rows = preview.rows.map((row) =>
      preview.columns.map((column) => formatCell(row[column.name])),
    )
    io.stdout.write(
      `${formatTable(header, rows)}\n(${preview.rows.length} rows in ${preview.ms} ms)\n`,
    )
    return 0
  },
  history: async ({ client }, [name], options, io) => {
    const pipelineId = name ? (await findPipeline(client, name)).id : undefined
    const runs = await client['run/list']({
      limit: options.limit,
      ...(pipelineId ? { pipelineId } : {}),
    })
    if (options.json) {
      io.stdout.write(`${JSON.stringify(runs, null, 2)}\n`)
      return 0
    }
    io.stdout.write(
      `${formatTable(
        ['started', 'pipeline', 'version', 'trigger', 'status', 'time', 'nodes run', 'reused'],
        runs.map((run) => [
          run.startedAt.slice(0, 19).replace('T', ' '),
          run.pipelineName,
          run.pipelineVersion === null ? 'working copy' : String(run.pipelineVersion),
          run.trigger,
          run.status,
          run.endedAt
            ? `${((Date.parse(run.endedAt) - Date.parse(run.startedAt)) / 1000).toFixed(1)} s`
            : '',
          String(run.nodesRun),
          String(run.nodesReused),
        ]),
      )}\n`,
    )
    return 0
  },
  versions: async ({ client }, [name], _options, io) => {
    if (!needs('a pipeline name', name, io)) {
      return 2
    }
    const pipeline = await findPipeline(client, name)
    const versions = await client['pipeline/versions']({ id: pipeline.id })
    io.stdout.write(
      `${formatTable(
        ['version', 'saved', 'message'],
        versions.map((version) => [
          String(version.version),
          version.savedAt.slice(0, 19).replace('T', ' '),
          version.message,
        ]),
      )}\n`,
    )
    return 0
  },
  diff: async ({ client }, [name, from, to], _options, io) => {
    if (!needs('a pipeline name', name, io) || !needs('a version to compare', from, io)) {
      return 2
    }
    const pipeline = await findPipeline(client, name)
    const diff = await client['pipeline/diff']({
      id: pipeline.id,
      from: Number(from),
      ...(to === undefined ? {} : { to: Number(to) }),
    })
    const lines = describeDiff(diff)
    io.stdout.write(lines.length > 0 ? `${lines.join('\n')}\n` : 'No differences.\n')
    return 0
  },
  export: async ({ client }, [name], options, io) => {
    if (!needs('a pipeline name', name, io)) {
      return 2
    }
    const pipeline = await findPipeline(client, name)
    const version = options.version === undefined ? {} : { version: options.version }
    const { json } = await client['pipeline/export']({ id: pipeline.id, ...version })
    io.stdout.write(json)
    return 0
  },
  import: async ({ client }, [file], options, io) => {
    if (!needs('a pipeline JSON file', file, io)) {
      return 2
    }
    const json = await readFile(resolve(file), 'utf8')
    const imported = await client['pipeline/import']({
      json,
      ...(options.name ? { name: options.name } : {}),
    })
    io.stdout.write(
      `Imported pipeline "${imported.name}" (${imported.document.nodes.length} nodes).\n`,
    )
    return 0
  },
  'export-project': async ({ client }, [file], options, io) => {
    if (!needs('the JSON file to write', file, io)) {
      return 2
    }
    const written = await client['project/export']({ path: file, includeRuns: options.withRuns })
    io.stdout.write(
      `Wrote ${written.path}: ${written.pipelines} pipeline(s)${options.withRuns ? `, ${written.runs} run(s)` : ''}.\n`,
    )
    return 0
  },
}

/** The run summary from a recorded run. */
function summarise(record: RunRecord): string {
  const ms = record.endedAt ? Date.parse(record.endedAt) - Date.parse(record.startedAt) : 0
  return formatRunSummary({ ...record, ms })
}

/** Adapts the service's events to the terminal progress display the file runs use. */
function terminalProgressForRuns(stream: NodeJS.WriteStream): (event: ApiEvent) => void {
  const show = createTerminalProgress(stream)
  return (event) => {
    const translated: RunEvent | undefined =
      event.type === 'node-status'
        ? { type: 'node-started', nodeId: event.nodeId }
        : event.type === 'run-progress'
          ? { type: 'node-progress', progress: event.progress }
          : event.type === 'node-finished'
            ? { type: 'node-finished', stats: event.stats }
            : event.type === 'log'
              ? {
                  type: 'log',
                  level: event.line.level,
                  message: event.line.message,
                  ...(event.line.nodeId ? { nodeId: event.line.nodeId } : {}),
                }
              : undefined
    if (translated) {
      show(translated)
    }
  }
}
