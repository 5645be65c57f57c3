/** The project store: one SQLite file per project, and the app-level store beside it. */
export { ProjectStore } from './project-store'
export { AppStore } from './app-store'
export { exportProject, importProject, type ProjectExport } from './project-export'
export { projectSchemaVersion } from './open-project-database'
