import type { ApiHandlers } from '../../../src-shared/api'
import { sluiceError, SluiceFailure } from '../../../src-shared/errors'
import {
  currentFormatVersion,
  diffPipelines,
  migratePipeline,
  pipelineSchema,
  type Pipeline,
} from '../../../src-shared/pipeline'
import type { ProjectStore } from '../../store'
import { loadDocument, validateStored } from '../load-pipeline'
import type { ServiceContext } from '../service-context'

type PipelineHandlers = Pick<
  ApiHandlers,
  | 'pipeline/list'
  | 'pipeline/get'
  | 'pipeline/create'
  | 'pipeline/update'
  | 'pipeline/validate'
  | 'pipeline/delete'
  | 'pipeline/autosave'
  | 'pipeline/saveVersion'
  | 'pipeline/versions'
  | 'pipeline/version'
  | 'pipeline/diff'
  | 'pipeline/restore'
  | 'pipeline/duplicate'
  | 'pipeline/export'
  | 'pipeline/import'
>

/** Pipelines: their list, working copies, versions, diffs, and JSON in and out. */
export function pipelineHandlers(context: ServiceContext): PipelineHandlers {
  const store = (): ProjectStore => context.project().session.store
  return {
    'pipeline/list': async () => store().pipelines.list(),
    'pipeline/get': async ({ id }) => store().pipelines.get(id),
    'pipeline/create': async ({ name, description, tags, document }) => {
      const created = store().pipelines.create({
        name,
        ...(description === undefined ? {} : { description }),
        ...(tags ? { tags } : {}),
        document: { ...(document ?? emptyPipeline(name)), name },
      })
      return created
    },
    'pipeline/update': async ({ id, ...fields }) => store().pipelines.update(id, fields),
    'pipeline/validate': async ({ id, version, parameters }) => {
      const { validation } = validateStored(store(), id, { version }, parameters)
      return validation.ok ? { ok: true, errors: [] } : { ok: false, errors: validation.errors }
    },
    'pipeline/delete': async ({ id }) => {
      store().pipelines.delete(id)
      return null
    },
    'pipeline/autosave': async ({ id, document }) =>
      store().pipelines.saveWorkingCopy(id, document),
    'pipeline/saveVersion': async ({ id, message, document }) =>
      store().pipelines.saveVersion(id, { message, ...(document ? { document } : {}) }),
    'pipeline/versions': async ({ id }) => store().pipelines.versions(id),
    'pipeline/version': async ({ id, version }) => store().pipelines.version(id, version),
    'pipeline/diff': async ({ id, from, to }) =>
      diffPipelines(
        loadDocument(store(), id, { version: from }).document,
        loadDocument(store(), id, { version: to }).document,
      ),
    'pipeline/restore': async ({ id, version }) => {
      const { document } = store().pipelines.version(id, version)
      return store().pipelines.saveVersion(id, { message: `Restored version ${version}`, document })
    },
    'pipeline/duplicate': async ({ id, name }) => {
      const original = store().pipelines.get(id)
      const copyName = name ?? freeName(store(), `${original.name} copy`)
      const copy = store().pipelines.create({
        name: copyName,
        description: original.description,
        tags: original.tags,
        document: { ...original.document, name: copyName },
      })
      const from = original.latestVersion ? ` version ${original.latestVersion}` : ''
      store().pipelines.saveVersion(copy.id, {
        message: `Duplicated from "${original.name}"${from}`,
      })
      return store().pipelines.get(copy.id)
    },
    'pipeline/export': async ({ id, version }) => {
      const { summary, document } = loadDocument(store(), id, { version })
      const exported: Pipeline = {
        ...document,
        name: summary.name,
        ...(summary.description ? { description: summary.description } : {}),
      }
      return { json: `${JSON.stringify(exported, null, 2)}\n` }
    },
    'pipeline/import': async ({ json, name }) => {
      const document = parsePipelineJson(json)
      const imported = store().pipelines.create({
        name: freeName(store(), name ?? document.name),
        ...(document.description ? { description: document.description } : {}),
        document,
      })
      store().pipelines.saveVersion(imported.id, { message: 'Imported' })
      return store().pipelines.get(imported.id)
    },
  }
}

/** A new pipeline's first document: no nodes yet. */
function emptyPipeline(name: string): Pipeline {
  return { formatVersion: currentFormatVersion, name, parameters: {}, nodes: [], edges: [] }
}

/** `name`, or `name (2)`, `name (3)`… whichever is not taken yet. */
function freeName(store: ProjectStore, name: string): string {
  let candidate = name
  for (let number = 2; store.pipelines.findByName(candidate); number += 1) {
    candidate = `${name} (${number})`
  }
  return candidate
}

/** A pipeline document from exported JSON, migrated from older formats; drafts are accepted. */
function parsePipelineJson(json: string): Pipeline {
  const file = 'the pipeline JSON'
  let raw: unknown
  try {
    raw = JSON.parse(json)
  } catch (thrown) {
    throw new SluiceFailure(
      sluiceError('IMPORT_INVALID', {
        file,
        reason: `not valid JSON (${(thrown as Error).message})`,
      }),
    )
  }
  const migrated = migratePipeline(raw)
  if (!migrated.ok) {
    throw new SluiceFailure(migrated.error)
  }
  const parsed = pipelineSchema.safeParse(migrated.document)
  if (!parsed.success) {
    const reason = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || 'document'}: ${issue.message}`)
      .join('; ')
    throw new SluiceFailure(sluiceError('IMPORT_INVALID', { file, reason }))
  }
  return parsed.data
}
