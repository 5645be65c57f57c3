import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import type { WriteRequest } from '../database/contract'
import { followFile } from '../database/follow-file'
import { exportPushCsv, type RunningCopy } from './push-csv'

/** How often, at most, progress is reported while bytes stream out. */
const progressIntervalMs = 250

/**
 * Streams the input into `COPY ... FROM STDIN` while DuckDB is still writing it as CSV to `file`:
 * the export runs at its own speed into the file (never waiting for the server, as it would on a
 * pipe's 64 KB buffer) and the bytes go on to the server as soon as they are written. `done`
 * resolves to the rows the server loaded only when the export succeeded too, so an export that
 * stopped early (cancelled or failed) can never pass for the whole input. `totalRows` only drives
 * the progress percentage.
 */
export function copyWhileExporting(
  client: pg.Client,
  copySql: string,
  file: string,
  request: WriteRequest,
  totalRows: number,
): RunningCopy {
  let settled = false
  const exported = exportPushCsv(
    request.duckdb,
    request.input.ref,
    request.input.columns,
    file,
    request.signal,
  ).finally(() => {
    settled = true
  })
  // Awaited below; until then a failure must not count as unhandled.
  exported.catch(() => undefined)
  const source = followFile(file, exported)
  const done = (async () => {
    const copy = client.query(copyFrom(copySql))
    let bytes = 0
    let lines = 0
    let reported = 0
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        bytes += chunk.length
        // Line breaks approximate rows (a quoted value may hold one); enough for a progress bar.
        for (let at = chunk.indexOf(0x0a); at >= 0; at = chunk.indexOf(0x0a, at + 1)) {
          lines += 1
        }
        const now = Date.now()
        if (now - reported >= progressIntervalMs) {
          reported = now
          const percent = totalRows > 0 ? Math.min(99, (100 * lines) / totalRows) : 0
          request.progress({ bytes, percent })
        }
        callback(null, chunk)
      },
    })
    try {
      await pipeline(source, counter, copy)
    } catch (thrown) {
      if (!settled) {
        // The server stopped first (an error, a kill): the rest of the export is wasted.
        request.duckdb.interrupt()
      }
      await exported.catch(() => undefined)
      throw thrown
    }
    await exported
    request.progress({ bytes, percent: 100 })
    return copy.rowCount
  })()
  return { done, stop: () => source.destroy(new Error('cancelled')) }
}
