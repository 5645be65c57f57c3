import { uiLanguages, type RecentProject, type UiLanguage } from '../../src-shared/project'
import type { Migration } from './migrations'
import { openStoreFile, type StoreFileKind } from './open-store-file'
import type { StoreDatabase } from './store-database'

/** How many projects the recent list keeps. */
const recentLimit = 20

const appSchema: Migration = {
  version: 1,
  up(db) {
    db.exec(`
      CREATE TABLE recent_projects (
        path TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        opened_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX recent_projects_by_time ON recent_projects (opened_at DESC);

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE window_states (
        key TEXT PRIMARY KEY,
        state TEXT NOT NULL
      ) STRICT;
    `)
  },
}

/** `PRAGMA application_id` of the app-level store: "SLCA". */
export const appApplicationId = 0x534c4341

const appFile: StoreFileKind = {
  applicationId: appApplicationId,
  migrations: [appSchema],
  extension: '.sqlite',
}

/**
 * What the app remembers across projects (recent projects, window layout, language), in its
 * own SQLite file in the user data folder, opened with the same checks as a project.
 */
/** The UI's colour theme. */
export type UiTheme = 'light' | 'dark'

export class AppStore {
  private constructor(private readonly store: StoreDatabase) {}

  /** Opens the app store, creating it on first start. */
  static open(path: string): AppStore {
    return new AppStore(openStoreFile(path, appFile, 'open-or-create'))
  }

  close(): void {
    if (this.store.db.open) {
      this.store.db.close()
    }
  }

  /** Newest first, at most 20. */
  recentProjects(): RecentProject[] {
    return this.store.read(
      () =>
        this.store
          .statement(
            `SELECT path, name, opened_at AS openedAt FROM recent_projects
             ORDER BY opened_at DESC, rowid DESC LIMIT ?`,
          )
          .all(recentLimit) as RecentProject[],
    )
  }

  /** Puts the project at the top of the recent list, dropping the oldest past the limit. */
  rememberProject(project: { path: string; name: string }): void {
    this.store.write(() => {
      // Delete then insert, so the newest entry also has the highest rowid (ties in time).
      this.store.statement('DELETE FROM recent_projects WHERE path = ?').run(project.path)
      this.store
        .statement('INSERT INTO recent_projects (path, name, opened_at) VALUES (?, ?, ?)')
        .run(project.path, project.name, new Date().toISOString())
      this.store
        .statement(
          `DELETE FROM recent_projects WHERE path NOT IN (SELECT path FROM recent_projects
            ORDER BY opened_at DESC, rowid DESC LIMIT ?)`,
        )
        .run(recentLimit)
    })
  }

  forgetProject(path: string): void {
    this.store.write(() => {
      this.store.statement('DELETE FROM recent_projects WHERE path = ?').run(path)
    })
  }

  /** The JSON state saved under `key`, or undefined. */
  windowState(key: string): unknown {
    return this.store.read(() => {
      const row = this.store.statement('SELECT state FROM window_states WHERE key = ?').get(key) as
        { state: string } | undefined
      return row ? (JSON.parse(row.state) as unknown) : undefined
    })
  }

  setWindowState(key: string, state: unknown): void {
    this.store.write(() => {
      this.store
        .statement(
          `INSERT INTO window_states (key, state) VALUES (?, ?)
           ON CONFLICT (key) DO UPDATE SET state = excluded.state`,
        )
        .run(key, JSON.stringify(state ?? null))
    })
  }

  /** The UI language; English until the user picks another. */
  language(): UiLanguage {
    return this.chosenLanguage() ?? 'en'
  }

  /** The language the user picked, or null while the UI should follow the system's. */
  chosenLanguage(): UiLanguage | null {
    const stored = this.setting('language')
    return uiLanguages.find((language) => language === stored) ?? null
  }

  setLanguage(language: UiLanguage): void {
    this.setSetting('language', language)
  }

  /** The colour theme the user picked, or null while the UI should follow the system's. */
  theme(): UiTheme | null {
    const stored = this.setting('theme')
    return stored === 'light' || stored === 'dark' ? stored : null
  }

  setTheme(theme: UiTheme): void {
    this.setSetting('theme', theme)
  }

  private setting(key: string): string | undefined {
    const row = this.store.read(
      () =>
        this.store.statement('SELECT value FROM settings WHERE key = ?').get(key) as
          { value: string } | undefined,
    )
    return row?.value
  }

  private setSetting(key: string, value: string): void {
    this.store.write(() => {
      this.store
        .statement(
          `INSERT INTO settings (key, value) VALUES (?, ?)
           ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
        )
        .run(key, value)
    })
  }
}
