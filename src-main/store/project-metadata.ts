import { basename, dirname, isAbsolute, relative, resolve } from 'node:path'
import type { ProjectInfo } from '../../src-shared/project'
import { projectSchemaVersion } from './open-project-database'
import type { StoreDatabase } from './store-database'

/** The project's own fields, kept as key/value rows in `project_meta`. */
export class ProjectMetadata {
  constructor(private readonly store: StoreDatabase) {}

  /** The project as the UI shows it; the staging path is made absolute against the file's folder. */
  info(): ProjectInfo {
    return this.store.read(() => {
      const meta = this.all()
      const stored =
        meta.get('staging_path') ?? `${basename(this.store.path, '.sluice')}.staging/staging.duckdb`
      return {
        path: this.store.path,
        name: meta.get('name') ?? '',
        description: meta.get('description') ?? '',
        createdAt: meta.get('created_at') ?? '',
        updatedAt: meta.get('updated_at') ?? '',
        schemaVersion: projectSchemaVersion,
        stagingPath: resolve(dirname(this.store.path), stored),
      }
    })
  }

  /** The staging path as stored: relative to the project folder where it can be. */
  storedStagingPath(): string {
    return this.store.read(() => this.all().get('staging_path') ?? '')
  }

  /** Changes the given fields; a staging path is stored relative to the project's folder. */
  update(
    fields: { name?: string; description?: string; stagingPath?: string; createdAt?: string },
    now = new Date().toISOString(),
  ): ProjectInfo {
    const changes: Array<[string, string]> = [['updated_at', now]]
    if (fields.name !== undefined) {
      changes.push(['name', fields.name.trim()])
    }
    if (fields.description !== undefined) {
      changes.push(['description', fields.description])
    }
    if (fields.stagingPath !== undefined) {
      changes.push(['staging_path', this.relativeToProject(fields.stagingPath)])
    }
    if (fields.createdAt !== undefined) {
      changes.push(['created_at', fields.createdAt])
    }
    this.store.write(() => {
      const upsert = this.store.statement(
        `INSERT INTO project_meta (key, value) VALUES (?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      )
      for (const [key, value] of changes) {
        upsert.run(key, value)
      }
    })
    return this.info()
  }

  private relativeToProject(path: string): string {
    if (!isAbsolute(path)) {
      return path
    }
    const folder = dirname(this.store.path)
    const inside = relative(folder, path)
    // Another drive (Windows) has no relative path; keep the absolute one.
    return isAbsolute(inside) ? path : inside
  }

  private all(): Map<string, string> {
    const rows = this.store.statement('SELECT key, value FROM project_meta').all() as Array<{
      key: string
      value: string
    }>
    return new Map(rows.map((row) => [row.key, row.value]))
  }
}
