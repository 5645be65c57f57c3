import { randomBytes } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { closeSync, constants, createReadStream, openSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { Socket } from 'node:net'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import type { DuckDBConnection } from '@duckdb/node-api'
import { exportCsv, type ExportColumn } from './write-export'

/** The CSV bytes of the input, on their way from DuckDB's writer to `LOAD DATA LOCAL`. */
export interface CsvSpool {
  /** The stream `LOAD DATA LOCAL` reads (mysql2's `infileStreamFactory`); Buffers, never strings. */
  open(): Readable
  /** Settles when DuckDB has written every row (or failed). */
  written: Promise<void>
  /** Ends both sides, waits for DuckDB to stop, and removes the pipe or file. */
  close(): Promise<void>
}

/** What the spool reports as bytes go by: rows are line ends seen, which the caller scales. */
export type SpoolProgress = (bytes: number, lines: number) => void

const newline = 0x0a

/**
 * Starts DuckDB writing the input as CSV: into a temporary file written before the load, or, with
 * `pipe`, into a named pipe that `LOAD DATA` reads at the same time, so exporting and loading
 * overlap and nothing lands on disk (falls back to the file when `mkfifo` fails).
 */
export async function startCsvSpool(
  duckdb: DuckDBConnection,
  relation: string,
  columns: ExportColumn[],
  dir: string,
  signal: AbortSignal,
  onProgress: SpoolProgress,
  /**
   * Use a named pipe (POSIX only). Off by default for now: in two full-suite runs a push whose
   * connection was killed mid-load hung with the pipe (a race not yet found), never with the file.
   */
  pipe = false,
): Promise<CsvSpool> {
  const path = join(dir, `sluice-push-${randomBytes(8).toString('hex')}.csv`)
  const counting = (stream: Readable): Readable => {
    let bytes = 0
    let lines = 0
    stream.on('data', (chunk: Buffer) => {
      bytes += chunk.length
      for (let at = chunk.indexOf(newline); at !== -1; at = chunk.indexOf(newline, at + 1)) {
        lines += 1
      }
      onProgress(bytes, lines)
    })
    return stream
  }
  // A failed or cancelled export must not leave its partial file (or the pipe) behind.
  const removeOnFailure = async <T>(work: () => Promise<T> | T): Promise<T> => {
    try {
      return await work()
    } catch (thrown) {
      await rm(path, { force: true })
      throw thrown
    }
  }
  if (!pipe || !makeFifo(path)) {
    await removeOnFailure(() => exportCsv(duckdb, relation, columns, path, signal))
    return {
      open: () => counting(createReadStream(path, { highWaterMark: 1 << 20 })),
      written: Promise.resolve(),
      close: () => rm(path, { force: true }),
    }
  }
  // The read end is opened first, non-blocking, so DuckDB's open for writing never waits. A
  // second, idle write end keeps the reader from seeing end-of-file before DuckDB has opened the
  // pipe; it is closed once DuckDB has finished, and only then does the reader see the end.
  const readFd = await removeOnFailure(() =>
    openSync(path, constants.O_RDONLY | constants.O_NONBLOCK),
  )
  let writeFd: number | null = await removeOnFailure(() => {
    try {
      return openSync(path, constants.O_WRONLY | constants.O_NONBLOCK)
    } catch (thrown) {
      closeSync(readFd)
      throw thrown
    }
  })
  const reader = new Socket({ fd: readFd, readable: true, writable: false })
  reader.on('error', () => undefined)
  const closeWriter = (): void => {
    if (writeFd !== null) {
      closeSync(writeFd)
      writeFd = null
    }
  }
  let settled = false
  const written = exportCsv(duckdb, relation, columns, path, signal).finally(() => {
    settled = true
    closeWriter()
  })
  // Failures surface through `written` when the caller awaits it; this keeps an early close
  // (the load failed first) from being an unhandled rejection.
  written.catch(() => undefined)
  return {
    open: () => counting(reader),
    written,
    close: async () => {
      if (!settled) {
        // The load ended early (an error, a kill, a cancel). Stop DuckDB, and keep reading and
        // discarding until it has: destroying the reader first could leave DuckDB waiting
        // forever to open a pipe nobody reads.
        duckdb.interrupt()
        reader.on('data', () => undefined)
        reader.resume()
        await written.catch(() => undefined)
      }
      // With an error, not silently: mysql2 ends the file it sends on 'end' or 'error' only, and
      // a server left waiting for the rest would hold the statement for net_read_timeout.
      reader.destroy(new Error('the push stopped before every row was sent'))
      closeWriter()
      await rm(path, { force: true })
    },
  }
}

function makeFifo(path: string): boolean {
  try {
    execFileSync('mkfifo', ['-m', '600', path], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}
