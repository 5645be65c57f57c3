import { mkdirSync } from 'node:fs'
import { totalmem } from 'node:os'
import { dirname, join } from 'node:path'
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api'

export interface StagingOptions {
  /** The DuckDB file; `:memory:` for tests and throwaway runs. */
  path: string
  /** DuckDB's `memory_limit`; past it, work spills to `tempDirectory` instead of failing. */
  memoryLimit?: string
  tempDirectory?: string
  threads?: number
}

/** The per-project DuckDB database where every dataset is staged and every node materialised. */
export interface StagingDatabase {
  path: string
  /** A fresh connection; each running node gets its own so it can be interrupted alone. */
  connect(): Promise<DuckDBConnection>
  close(): void
}

/**
 * A quarter of the machine's memory, at most 1 GiB. The desktop app shares the machine with the
 * user's other work, and DuckDB spills what does not fit to its temp folder, so a small limit
 * costs little time: measured on the 10M-row sample pipeline (bench case d), the process stays
 * under 2 GB. `memoryLimit` raises it for machines and data that need more.
 */
export function defaultMemoryLimit(): string {
  const quarterMiB = Math.floor(totalmem() / 4 / 1024 / 1024)
  return `${Math.max(256, Math.min(quarterMiB, 1024))}MiB`
}

/** Opens (creating if needed) the staging database with memory and spill settings applied. */
export async function openStaging(options: StagingOptions): Promise<StagingDatabase> {
  const inMemory = options.path === ':memory:'
  if (!inMemory) {
    mkdirSync(dirname(options.path), { recursive: true })
  }
  const tempDirectory =
    options.tempDirectory ?? (inMemory ? undefined : join(dirname(options.path), '.sluice-spill'))
  const settings: Record<string, string> = {
    memory_limit: options.memoryLimit ?? defaultMemoryLimit(),
  }
  if (tempDirectory) {
    settings.temp_directory = tempDirectory
  }
  if (options.threads) {
    settings.threads = String(options.threads)
  }
  const instance = await DuckDBInstance.create(options.path, settings)
  return {
    path: options.path,
    connect: async () => {
      const connection = await instance.connect()
      // Progress is per connection and off unless asked for; it is polled for node progress events.
      await connection.run('SET enable_progress_bar = true; SET enable_progress_bar_print = false')
      return connection
    },
    close: () => instance.closeSync(),
  }
}
