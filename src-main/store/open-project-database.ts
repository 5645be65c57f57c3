import { projectMigrations } from './migrations'
import { openStoreFile, type StoreFileKind } from './open-store-file'
import type { StoreDatabase } from './store-database'

/** `PRAGMA application_id` of a project file: "SLCE", so other programs' SQLite files are told apart. */
export const projectApplicationId = 0x534c4345

/** The project schema version this build writes and reads up to. */
export const projectSchemaVersion = projectMigrations.at(-1)?.version ?? 0

const projectFile: StoreFileKind = {
  applicationId: projectApplicationId,
  migrations: projectMigrations,
  extension: '.sluice',
}

/** Creates a new project file with the current schema; `PROJECT_EXISTS` if the file is there. */
export function createProjectDatabase(path: string): StoreDatabase {
  return openStoreFile(path, projectFile, 'create')
}

/** Opens a project file, checking and migrating it; see `openStoreFile` for what can fail. */
export function openProjectDatabase(path: string): StoreDatabase {
  return openStoreFile(path, projectFile, 'open')
}
