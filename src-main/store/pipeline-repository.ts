import { randomUUID } from 'node:crypto'
import { SluiceFailure, sluiceError } from '../../src-shared/errors'
import type { Pipeline } from '../../src-shared/pipeline'
import type {
  PipelineDetail,
  PipelineSummary,
  PipelineVersion,
  PipelineVersionInfo,
} from '../../src-shared/project'
import { decodeDocument, encodeDocument } from './stored-document'
import type { StoreDatabase } from './store-database'

interface SummaryRow {
  id: string
  name: string
  description: string
  tags: string
  created_at: string
  updated_at: string
  working_hash: string
  latest_version: number | null
  latest_hash: string | null
}

interface VersionRow {
  pipeline_id: string
  version: number
  saved_at: string
  message: string
}

// The latest version comes from the (pipeline_id, version) key; no document column is read.
const summarySelect = `
  SELECT p.id, p.name, p.description, p.tags, p.created_at, p.updated_at, p.working_hash,
    v.version AS latest_version, v.content_hash AS latest_hash
  FROM pipelines p
  LEFT JOIN pipeline_versions v ON v.pipeline_id = p.id
    AND v.version = (SELECT max(version) FROM pipeline_versions WHERE pipeline_id = p.id)`

/** Pipelines, their working copies (autosaved) and their numbered versions (explicit saves). */
export class PipelineRepository {
  constructor(private readonly store: StoreDatabase) {}

  /** Every pipeline by name, with whether its working copy differs from its latest version. */
  list(): PipelineSummary[] {
    return this.store.read(() =>
      (
        this.store
          .statement(`${summarySelect} ORDER BY p.name COLLATE NOCASE`)
          .all() as SummaryRow[]
      ).map(toSummary),
    )
  }

  get(id: string): PipelineDetail {
    return this.store.read(() => {
      const summary = this.summary(id)
      const row = this.store
        .statement('SELECT working_document FROM pipelines WHERE id = ?')
        .get(id) as { working_document: Buffer }
      return { ...summary, document: decodeDocument(row.working_document, this.store.path) }
    })
  }

  findByName(name: string): PipelineSummary | undefined {
    return this.store.read(() => {
      const row = this.store
        .statement(`${summarySelect} WHERE p.name = ? COLLATE NOCASE`)
        .get(name.trim()) as SummaryRow | undefined
      return row ? toSummary(row) : undefined
    })
  }

  /** A new pipeline whose working copy is `document`; names are unique regardless of case. */
  create(input: {
    name: string
    description?: string
    tags?: string[]
    document: Pipeline
    /** Import keeps the exported times; new pipelines use now. */
    createdAt?: string
    updatedAt?: string
  }): PipelineDetail {
    const id = randomUUID()
    const name = input.name.trim()
    const now = new Date().toISOString()
    const stored = encodeDocument(input.document)
    this.store.write(() => {
      this.assertNameFree(name, null)
      this.store
        .statement(
          `INSERT INTO pipelines (id, name, description, tags, created_at, updated_at,
            working_hash, working_document) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          id,
          name,
          input.description ?? '',
          JSON.stringify(input.tags ?? []),
          input.createdAt ?? now,
          input.updatedAt ?? input.createdAt ?? now,
          stored.hash,
          stored.bytes,
        )
    })
    return this.get(id)
  }

  update(
    id: string,
    fields: { name?: string; description?: string; tags?: string[] },
  ): PipelineSummary {
    return this.store.write(() => {
      const current = this.summary(id)
      const name = fields.name?.trim() ?? current.name
      this.assertNameFree(name, id)
      this.store
        .statement(
          'UPDATE pipelines SET name = ?, description = ?, tags = ?, updated_at = ? WHERE id = ?',
        )
        .run(
          name,
          fields.description ?? current.description,
          JSON.stringify(fields.tags ?? current.tags),
          new Date().toISOString(),
          id,
        )
      return this.summary(id)
    })
  }

  /** Deletes the pipeline and its versions, schedules and watermarks; its runs stay in history. */
  delete(id: string): void {
    this.store.write(() => {
      const result = this.store.statement('DELETE FROM pipelines WHERE id = ?').run(id)
      if (result.changes === 0) {
        throw notFound(id)
      }
    })
  }

  /** Autosave: replaces the working copy without making a version. */
  saveWorkingCopy(id: string, document: Pipeline): PipelineSummary {
    const stored = encodeDocument(document)
    return this.store.write(() => {
      const result = this.store
        .statement(
          'UPDATE pipelines SET working_document = ?, working_hash = ?, updated_at = ? WHERE id = ?',
        )
        .run(stored.bytes, stored.hash, new Date().toISOString(), id)
      if (result.changes === 0) {
        throw notFound(id)
      }
      return this.summary(id)
    })
  }

  /** Saves the next numbered version of `document` (default: the working copy), which becomes the working copy. */
  saveVersion(
    id: string,
    input: { message: string; document?: Pipeline; savedAt?: string },
  ): PipelineVersionInfo {
    const given = input.document ? encodeDocument(input.document) : undefined
    const savedAt = input.savedAt ?? new Date().toISOString()
    return this.store.write(() => {
      const working = this.store
        .statement('SELECT working_document, working_hash FROM pipelines WHERE id = ?')
        .get(id) as { working_document: Buffer; working_hash: string } | undefined
      if (!working) {
        throw notFound(id)
      }
      const stored = given ?? { bytes: working.working_document, hash: working.working_hash }
      const { next } = this.store
        .statement(
          'SELECT coalesce(max(version), 0) + 1 AS next FROM pipeline_versions WHERE pipeline_id = ?',
        )
        .get(id) as { next: number }
      this.store
        .statement(
          `INSERT INTO pipeline_versions (pipeline_id, version, saved_at, message, content_hash, document)
           VALUES (?, ?, ?, ?, ?, ?)`,
        )
        .run(id, next, savedAt, input.message, stored.hash, stored.bytes)
      this.store
        .statement(
          'UPDATE pipelines SET working_document = ?, working_hash = ?, updated_at = ? WHERE id = ?',
        )
        .run(stored.bytes, stored.hash, savedAt, id)
      return { pipelineId: id, version: next, savedAt, message: input.message }
    })
  }

  /** The pipeline's versions, newest first, without their documents. */
  versions(id: string): PipelineVersionInfo[] {
    return this.store.read(() => {
      this.summary(id)
      const rows = this.store
        .statement(
          `SELECT pipeline_id, version, saved_at, message FROM pipeline_versions
           WHERE pipeline_id = ? ORDER BY version DESC`,
        )
        .all(id) as VersionRow[]
      return rows.map(toVersionInfo)
    })
  }

  version(id: string, version: number): PipelineVersion {
    return this.store.read(() => {
      const summary = this.summary(id)
      const row = this.store
        .statement(
          `SELECT pipeline_id, version, saved_at, message, document FROM pipeline_versions
           WHERE pipeline_id = ? AND version = ?`,
        )
        .get(id, version) as (VersionRow & { document: Buffer }) | undefined
      if (!row) {
        throw new SluiceFailure(
          sluiceError('VERSION_NOT_FOUND', { pipeline: summary.name, version }),
        )
      }
      return { ...toVersionInfo(row), document: decodeDocument(row.document, this.store.path) }
    })
  }

  private summary(id: string): PipelineSummary {
    const row = this.store.statement(`${summarySelect} WHERE p.id = ?`).get(id) as
      SummaryRow | undefined
    if (!row) {
      throw notFound(id)
    }
    return toSummary(row)
  }

  private assertNameFree(name: string, exceptId: string | null): void {
    const row = this.store
      .statement('SELECT id FROM pipelines WHERE name = ? COLLATE NOCASE')
      .get(name) as { id: string } | undefined
    if (row && row.id !== exceptId) {
      throw new SluiceFailure(sluiceError('NAME_TAKEN', { what: 'pipeline', name }))
    }
  }
}

function notFound(id: string): SluiceFailure {
  return new SluiceFailure(sluiceError('PIPELINE_NOT_FOUND', { pipeline: id }))
}

function toSummary(row: SummaryRow): PipelineSummary {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    tags: JSON.parse(row.tags) as string[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    latestVersion: row.latest_version,
    unsaved: row.latest_hash !== row.working_hash,
  }
}

function toVersionInfo(row: VersionRow): PipelineVersionInfo {
  return {
    pipelineId: row.pipeline_id,
    version: row.version,
    savedAt: row.saved_at,
    message: row.message,
  }
}
