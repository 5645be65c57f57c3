import { dirname } from 'node:path'
import { sluiceError, SluiceFailure } from '../../src-shared/errors'
import { openStaging, type StagingDatabase } from '../engine'
import type { DatabaseAccess } from '../engine/connectors/database/access'
import type { QualityHistory } from '../engine/quality/history'
import type { ProjectStore } from '../store'
import { connectionResolver } from './connection-resolver'
import type { SecretStore } from './secrets/secret-store'

/** The options every engine call on one pipeline of the project takes. */
export interface PipelineEngineOptions {
  staging: StagingDatabase
  /** Relative paths in node configs resolve against the project's folder. */
  baseDir: string
  workDir: string
  schema: string
  /** The project's connections (with secrets) and this pipeline's stored watermarks. */
  databases: DatabaseAccess
  /** What this pipeline's check nodes saw in its last successful run: row counts and schemas. */
  quality: QualityHistory
}

/**
 * How long an unused staging database stays open: previews in a row share DuckDB's caches, and a
 * `sluice run` in a terminal waits at most this long for the app to let go of the file.
 */
const stagingIdleMs = 5_000

/**
 * An open project: its store, and its DuckDB staging database. Staging opens on first use and
 * closes when idle, because DuckDB lets only one process write a database file: a `sluice run`
 * from a terminal must be able to use the project while the app has it open.
 */
export class ProjectSession {
  private staging: Promise<StagingDatabase> | undefined
  private users = 0
  private idleTimer: NodeJS.Timeout | undefined

  constructor(
    readonly store: ProjectStore,
    private readonly secrets: SecretStore,
    private readonly memoryLimit?: string,
  ) {}

  /** Relative paths in node configs resolve against the project's folder. */
  get baseDir(): string {
    return dirname(this.store.path)
  }

  /** The DuckDB schema holding one pipeline's node outputs, so pipelines never share results. */
  schemaFor(pipelineId: string): string {
    return `pipeline_${pipelineId.replaceAll('-', '')}`
  }

  /**
   * Runs `work` with the staging database open (kept open while anyone uses it), handing it
   * what every engine call on one pipeline needs: staging, folders and the pipeline's schema.
   */
  async withPipelineStaging<T>(
    pipelineId: string,
    work: (engine: PipelineEngineOptions) => Promise<T>,
  ): Promise<T> {
    return this.withStaging((staging) =>
      work({
        staging,
        baseDir: this.baseDir,
        workDir: `${staging.path}.work`,
        schema: this.schemaFor(pipelineId),
        databases: {
          resolve: connectionResolver(this.store, this.secrets, this.baseDir),
          watermark: (nodeId) => this.store.watermarks.get(pipelineId, nodeId)?.value ?? null,
          dryRun: false,
        },
        quality: this.qualityHistory(pipelineId),
      }),
    )
  }

  /**
   * Row-count change and schema-drift rules compare with the node's input in the pipeline's
   * last successful run where the node ran (see `RunRepository.previousInput`).
   */
  qualityHistory(pipelineId: string): QualityHistory {
    return {
      previous: (nodeId) => Promise.resolve(this.store.runs.previousInput(pipelineId, nodeId)),
    }
  }

  /** Runs `work` with the staging database open, and keeps it open while anyone uses it. */
  async withStaging<T>(work: (staging: StagingDatabase) => Promise<T>): Promise<T> {
    clearTimeout(this.idleTimer)
    this.users += 1
    try {
      this.staging ??= this.openStaging()
      return await work(await this.staging)
    } finally {
      this.users -= 1
      if (this.users === 0) {
        this.idleTimer = setTimeout(() => void this.closeStaging(), stagingIdleMs)
        this.idleTimer.unref()
      }
    }
  }

  /** Closes staging when nobody uses it, so the next use opens it where the project now says. */
  async reopenStaging(): Promise<void> {
    clearTimeout(this.idleTimer)
    await this.closeStaging()
  }

  /** Closes staging and the store; callers cancel and await their runs first. */
  async close(): Promise<void> {
    clearTimeout(this.idleTimer)
    await this.closeStaging()
    this.store.close()
  }

  /**
   * Opens the staging file, waiting a little longer than another Sluice process keeps an idle
   * one open before saying it is busy.
   */
  private async openStaging(): Promise<StagingDatabase> {
    const path = this.store.info().stagingPath
    const deadline = Date.now() + stagingIdleMs + 1_000
    for (;;) {
      try {
        return await openStaging({
          path,
          ...(this.memoryLimit ? { memoryLimit: this.memoryLimit } : {}),
        })
      } catch (thrown) {
        const reason = thrown instanceof Error ? thrown.message : String(thrown)
        // DuckDB: "IO Error: Could not set lock on file … Conflicting lock is held in … (PID n)".
        if (!/Could not set lock/i.test(reason)) {
          this.staging = undefined
          throw thrown
        }
        if (Date.now() >= deadline) {
          this.staging = undefined
          throw new SluiceFailure(sluiceError('STAGING_BUSY', { file: path }, { detail: reason }))
        }
        await new Promise((resume) => setTimeout(resume, 250))
      }
    }
  }

  private async closeStaging(): Promise<void> {
    const staging = this.staging
    if (!staging || this.users > 0) {
      return
    }
    this.staging = undefined
    try {
      ;(await staging).close()
    } catch {
      // It never opened; the error reached whoever asked for it.
    }
  }
}
