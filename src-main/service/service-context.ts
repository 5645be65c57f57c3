import type { ApiEvent } from '../../src-shared/api'
import type { AppStore } from '../store'
import type { ProjectSession } from './project-session'
import type { RunManager } from './run-manager'
import type { SecretStore } from './secrets/secret-store'

/** What the service is given by its host. */
export interface ServiceOptions {
  secrets: SecretStore
  /** Recent projects and settings; the desktop app and the web host have one, the CLI need not. */
  appStore?: AppStore
  /** DuckDB's memory limit for staging (default: a quarter of RAM, at most 1 GiB). */
  memoryLimit?: string
  /** How many independent nodes run at once. */
  parallelism?: number
  /**
   * Folders the UI's own file picker may browse (the web host: the user's home folder); the open
   * project's folder is always added. Empty: only the project's folder.
   */
  fileRoots?: string[]
  /** Where `project/openSample` creates the sample project (default: ~/Sluice samples). */
  samplesFolder?: string
}

/** The open project and its runs: one at a time per service. */
export interface OpenProject {
  session: ProjectSession
  runs: RunManager
}

/** What every handler group works with. */
export interface ServiceContext {
  options: ServiceOptions
  /** The open project; fails with NO_PROJECT_OPEN when there is none. */
  project(): OpenProject
  /** The open project's folder, or undefined when none is open. */
  openProjectFolder(): string | undefined
  /** Closes the open project (cancelling its runs) and opens `session` in its place. */
  replaceProject(session: ProjectSession | undefined): Promise<void>
  emit(event: ApiEvent): void
}
