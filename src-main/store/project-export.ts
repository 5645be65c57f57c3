import { rmSync } from 'node:fs'
import { resolve } from 'node:path'
import type { z } from 'zod'
import { SluiceFailure, sluiceError, type SluiceError } from '../../src-shared/errors'
import type { RunSummary } from '../../src-shared/project'
import {
  projectExportSchema,
  type ExportedPipeline,
  type ExportedRun,
  type ProjectExport,
} from './project-export-schema'
import { ProjectStore } from './project-store'

export type { ProjectExport } from './project-export-schema'

/** The whole project as data for one JSON file; run history only when `includeRuns`. */
export function exportProject(
  store: ProjectStore,
  options: { includeRuns: boolean },
): ProjectExport {
  const info = store.info()
  const pipelines = store.pipelines.list()
  const nameOf = new Map(pipelines.map((pipeline) => [pipeline.id, pipeline.name]))
  const exported: ProjectExport = {
    format: 'sluice-project',
    formatVersion: 1,
    exportedAt: new Date().toISOString(),
    project: {
      name: info.name,
      description: info.description,
      createdAt: info.createdAt,
      stagingPath: store.internals().metadata.storedStagingPath(),
    },
    pipelines: pipelines.map((summary): ExportedPipeline => ({
      name: summary.name,
      description: summary.description,
      tags: summary.tags,
      createdAt: summary.createdAt,
      updatedAt: summary.updatedAt,
      versions: store.pipelines
        .versions(summary.id)
        .reverse()
        .map((info) => {
          const { version, savedAt, message, document } = store.pipelines.version(
            summary.id,
            info.version,
          )
          return { version, savedAt, message, document }
        }),
      workingCopy: store.pipelines.get(summary.id).document,
    })),
    connections: store.connections
      .list()
      .map(({ id: _id, createdAt: _c, updatedAt: _u, ...fields }) => fields),
    parameters: store.parameters.list(),
    schedules: store.schedules.list().map((schedule) => ({
      pipeline: nameOf.get(schedule.pipelineId) ?? schedule.pipelineId,
      cron: schedule.cron,
      timezone: schedule.timezone,
      enabled: schedule.enabled,
      parameters: schedule.parameters,
      createdAt: schedule.createdAt,
    })),
    watermarks: pipelines.flatMap((pipeline) =>
      store.watermarks.list(pipeline.id).map((watermark) => ({
        pipeline: pipeline.name,
        nodeId: watermark.nodeId,
        value: watermark.value,
        runId: watermark.runId,
        updatedAt: watermark.updatedAt,
      })),
    ),
  }
  if (options.includeRuns) {
    exported.runs = allRuns(store).map((summary): ExportedRun => {
      const record = store.runs.get(summary.id)
      const logs = store.runs.logs(summary.id, 0).map(({ runId: _runId, ...line }) => line)
      return { ...record, logs }
    })
  }
  return exported
}

/**
 * Creates a new project file at `path` holding everything in `data`, an exported project. The
 * data is checked first (`IMPORT_INVALID` says what is wrong); the file is written in one
 * transaction, and removed again if that fails, so a failed import leaves nothing behind.
 */
export function importProject(path: string, data: unknown): ProjectStore {
  const file = resolve(path)
  const checked = checkImport(file, data)
  const store = ProjectStore.create(file, {
    name: checked.project.name,
    description: checked.project.description,
  })
  try {
    store.internals().database.write(() => fill(store, checked))
    return store
  } catch (thrown) {
    store.close()
    for (const suffix of ['', '-wal', '-shm']) {
      rmSync(file + suffix, { force: true })
    }
    throw thrown
  }
}

function checkImport(file: string, data: unknown): ProjectExport {
  const parsed = projectExportSchema.safeParse(data)
  if (!parsed.success) {
    throw invalid(file, describeIssue(parsed.error))
  }
  const checked = parsed.data
  const names = new Set<string>()
  for (const pipeline of checked.pipelines) {
    const key = pipeline.name.toLowerCase()
    if (names.has(key)) {
      throw invalid(file, `two pipelines are named "${pipeline.name}"`)
    }
    names.add(key)
    pipeline.versions.forEach((version, index) => {
      if (version.version !== index + 1) {
        throw invalid(file, `pipeline "${pipeline.name}" has versions out of order or missing`)
      }
    })
  }
  for (const reference of [...checked.schedules, ...checked.watermarks]) {
    if (!names.has(reference.pipeline.toLowerCase())) {
      throw invalid(
        file,
        `it refers to a pipeline "${reference.pipeline}" that it does not contain`,
      )
    }
  }
  return checked
}

function fill(store: ProjectStore, data: ProjectExport): void {
  const { database, metadata } = store.internals()
  metadata.update({ createdAt: data.project.createdAt, stagingPath: data.project.stagingPath })
  const idByName = new Map<string, string>()
  for (const pipeline of data.pipelines) {
    const created = store.pipelines.create({
      name: pipeline.name,
      description: pipeline.description,
      tags: pipeline.tags,
      document: pipeline.workingCopy,
      createdAt: pipeline.createdAt,
    })
    for (const version of pipeline.versions) {
      store.pipelines.saveVersion(created.id, {
        message: version.message,
        document: version.document,
        savedAt: version.savedAt,
      })
    }
    store.pipelines.saveWorkingCopy(created.id, pipeline.workingCopy)
    database
      .statement('UPDATE pipelines SET updated_at = ? WHERE id = ?')
      .run(pipeline.updatedAt, created.id)
    idByName.set(pipeline.name.toLowerCase(), created.id)
  }
  const pipelineId = (name: string): string => idByName.get(name.toLowerCase()) ?? name
  for (const connection of data.connections) {
    store.connections.create(connection)
  }
  for (const parameter of data.parameters) {
    store.parameters.set(parameter)
  }
  for (const schedule of data.schedules) {
    store.schedules.create({ ...schedule, pipelineId: pipelineId(schedule.pipeline) })
  }
  for (const watermark of data.watermarks) {
    store.watermarks.set({ ...watermark, pipelineId: pipelineId(watermark.pipeline) })
  }
  for (const run of data.runs ?? []) {
    importRun(store, run, idByName.get(run.pipelineName.toLowerCase()) ?? run.pipelineId)
  }
  // The project's times are the exported ones, not those of this import.
  metadata.update({}, data.exportedAt)
}

/** A run is linked to the imported pipeline of its name; a deleted pipeline's run keeps its id. */
function importRun(store: ProjectStore, run: ExportedRun, pipelineId: string): void {
  store.runs.start({ ...run, pipelineId })
  for (const node of run.nodes) {
    store.runs.recordNode(run.id, { ...node, error: node.error as SluiceError | undefined })
  }
  store.runs.recordChecks(run.id, run.checks)
  for (const line of run.logs) {
    store.runs.appendLog(run.id, line)
  }
  store.runs.finish(run.id, {
    status: run.status,
    endedAt: run.endedAt ?? run.startedAt,
    errors: run.errors as SluiceError[],
  })
  if (run.endedAt === null) {
    store.internals().database.statement('UPDATE runs SET ended_at = NULL WHERE id = ?').run(run.id)
  }
}

function allRuns(store: ProjectStore): RunSummary[] {
  const runs: RunSummary[] = []
  for (;;) {
    const page = store.runs.list({ limit: 500, before: runs.at(-1)?.id })
    runs.push(...page)
    if (page.length < 500) {
      return runs.reverse()
    }
  }
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0]
  if (!issue) {
    return 'its contents are not a Sluice project export'
  }
  const where = issue.path.length > 0 ? issue.path.join('.') : 'the file'
  return `${where}: ${issue.message}`
}

function invalid(file: string, reason: string): SluiceFailure {
  return new SluiceFailure(sluiceError('IMPORT_INVALID', { file, reason }))
}
