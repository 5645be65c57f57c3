import type Database from 'better-sqlite3'

/** What a migration may need to know about the file it upgrades. */
export interface MigrationContext {
  /** The file's name without folder and without `.sluice`, e.g. `orders`. */
  baseName: string
  /** When the migration runs; the same instant for every migration of one open. */
  now: string
}

/**
 * One step of a store's schema: `version` is the `PRAGMA user_version` the file has after it.
 * Steps are never edited once released; a change is a new step.
 */
export interface Migration {
  version: number
  up(db: Database.Database, context: MigrationContext): void
}
