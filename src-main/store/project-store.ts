import type { ProjectInfo } from '../../src-shared/project'
import { ConnectionRepository } from './connection-repository'
import { createProjectDatabase, openProjectDatabase } from './open-project-database'
import { ParameterRepository } from './parameter-repository'
import { PipelineRepository } from './pipeline-repository'
import { ProjectMetadata } from './project-metadata'
import { RunRepository } from './run-repository'
import { ScheduleRepository } from './schedule-repository'
import type { StoreDatabase } from './store-database'
import { WatermarkRepository } from './watermark-repository'

/**
 * One open `.sluice` project file: its metadata and a repository per kind of thing it holds.
 * Synchronous (better-sqlite3); every write is its own IMMEDIATE transaction.
 */
export class ProjectStore {
  readonly path: string
  readonly pipelines: PipelineRepository
  readonly connections: ConnectionRepository
  readonly parameters: ParameterRepository
  readonly schedules: ScheduleRepository
  readonly runs: RunRepository
  readonly watermarks: WatermarkRepository
  private readonly metadata: ProjectMetadata

  private constructor(private readonly database: StoreDatabase) {
    this.path = database.path
    this.metadata = new ProjectMetadata(database)
    this.pipelines = new PipelineRepository(database)
    this.connections = new ConnectionRepository(database)
    this.parameters = new ParameterRepository(database)
    this.schedules = new ScheduleRepository(database)
    this.runs = new RunRepository(database)
    this.watermarks = new WatermarkRepository(database)
  }

  /** Creates a new project file; `PROJECT_EXISTS` if something is already at `path`. */
  static create(path: string, meta: { name: string; description?: string }): ProjectStore {
    const store = new ProjectStore(createProjectDatabase(path))
    store.metadata.update({ name: meta.name, description: meta.description ?? '' })
    return store
  }

  /**
   * Opens a project file: checks it is a sound Sluice project, migrates it, and marks runs left
   * `running` by a process that has since died as `interrupted`.
   */
  static open(path: string): ProjectStore {
    const store = new ProjectStore(openProjectDatabase(path))
    try {
      store.runs.markInterrupted(new Date().toISOString())
    } catch (thrown) {
      store.close()
      throw thrown
    }
    return store
  }

  /** Closes the file; committed changes are already on disk. */
  close(): void {
    if (this.database.db.open) {
      this.database.db.close()
    }
  }

  info(): ProjectInfo {
    return this.metadata.info()
  }

  update(fields: { name?: string; description?: string; stagingPath?: string }): ProjectInfo {
    return this.metadata.update(fields)
  }

  /** For export and import only: the store's file, its metadata and its transactions. */
  internals(): { database: StoreDatabase; metadata: ProjectMetadata } {
    return { database: this.database, metadata: this.metadata }
  }
}
