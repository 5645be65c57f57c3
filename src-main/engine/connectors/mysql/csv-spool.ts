import { randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import type { DuckDBConnection } from '@duckdb/node-api'
import { followFile } from '../database/follow-file'
import { exportCsv, type ExportColumn } from './write-export'

/** The CSV bytes of the input, on their way from DuckDB's writer to `LOAD DATA LOCAL`. */
export interface CsvSpool {
  /** The stream `LOAD DATA LOCAL` reads (mysql2's `infileStreamFactory`); Buffers, never strings. */
  open(): Readable
  /** Settles when DuckDB has written every row (or failed). */
  written: Promise<void>
  /** Ends both sides, waits for DuckDB to stop, and removes the file. */
  close(): Promise<void>
}

/** What the spool reports as bytes go by: rows are line ends seen, which the caller scales. */
export type SpoolProgress = (bytes: number, lines: number) => void

const newline = 0x0a

/**
 * Starts DuckDB writing the input as CSV into a temporary file. With `follow` (the default, off on
 * Windows, where a file being written may not be shared for reading), `LOAD DATA` reads the file
 * while DuckDB is still writing it, so exporting and loading overlap; without it, the file is
 * written whole before the load starts. Either way DuckDB never waits for the reader, so a load
 * that stops early (a kill, an error, a cancel) cannot leave the export hanging.
 */
export async function startCsvSpool(
  duckdb: DuckDBConnection,
  relation: string,
  columns: ExportColumn[],
  dir: string,
  signal: AbortSignal,
  onProgress: SpoolProgress,
  follow = process.platform !== 'win32',
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
  if (!follow) {
    try {
      await exportCsv(duckdb, relation, columns, path, signal)
    } catch (thrown) {
      // A failed or cancelled export must not leave its partial file behind.
      await rm(path, { force: true })
      throw thrown
    }
    return {
      open: () => counting(createReadStream(path, { highWaterMark: 1 << 20 })),
      written: Promise.resolve(),
      close: () => rm(path, { force: true }),
    }
  }
  let settled = false
  const written = exportCsv(duckdb, relation, columns, path, signal).finally(() => {
    settled = true
  })
  // Failures surface through `written` when the caller awaits it, and through the reader; this
  // keeps an early close (the load failed first) from being an unhandled rejection.
  written.catch(() => undefined)
  const readers: Readable[] = []
  return {
    open: () => {
      const reader = followFile(path, written)
      readers.push(reader)
      return counting(reader)
    },
    written,
    close: async () => {
      if (!settled) {
        // The load ended early (an error, a kill, a cancel): the rest of the export is wasted.
        duckdb.interrupt()
        await written.catch(() => undefined)
      }
      // With an error, not silently: mysql2 ends the file it sends on 'end' or 'error' only, and
      // a server left waiting for the rest would hold the statement for net_read_timeout.
      for (const reader of readers) {
        reader.destroy(new Error('the push stopped before every row was sent'))
      }
      await rm(path, { force: true })
    },
  }
}
