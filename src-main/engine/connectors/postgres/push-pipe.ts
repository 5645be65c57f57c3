import { execFile } from 'node:child_process'
import { constants, createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { promisify } from 'node:util'
import type pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import type { WriteRequest } from '../database/contract'
import { exportPushCsv, type RunningCopy } from './push-csv'

/** How often, at most, progress is reported while bytes stream out. */
const progressIntervalMs = 250

/**
 * Makes a named pipe at `path`, so DuckDB's CSV writer and the COPY to the server run at the same
 * time instead of one after the other. False where there are no named pipes (Windows) or
 * `mkfifo` fails; the push then goes through a file.
 */
export async function makePipe(path: string): Promise<boolean> {
  if (process.platform === 'win32') {
    return false
  }
  try {
    await promisify(execFile)('mkfifo', ['-m', '600', path])
    return true
  } catch {
    return false
  }
}

/**
 * Streams the input through the named pipe `pipe` into `COPY ... FROM STDIN`: DuckDB writes the
 * CSV into one end while the server reads the other. `done` resolves to the rows the server
 * loaded only when DuckDB's export succeeded too, so an export that stopped early (cancelled or
 * failed) can never pass for the whole input. `totalRows` only drives the progress percentage.
 */
export function copyThroughPipe(
  client: pg.Client,
  copySql: string,
  pipe: string,
  request: WriteRequest,
  totalRows: number,
): RunningCopy {
  // Opening a pipe waits for the other end: the reader is created first, so DuckDB's open
  // returns, and if DuckDB fails before opening, `unblockReader` ends the wait.
  const source = createReadStream(pipe, { highWaterMark: 1 << 20 })
  const exported = exportPushCsv(
    request.duckdb,
    request.input.ref,
    request.input.columns,
    pipe,
    request.signal,
  )
  exported.catch(() => unblockReader(pipe))
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
      // The reader is closed now, so DuckDB's next write fails and its statement ends.
      await exported.catch(() => undefined)
      throw thrown
    }
    await exported
    request.progress({ bytes, percent: 100 })
    return copy.rowCount
  })()
  return { done, stop: () => source.destroy(new Error('cancelled')) }
}

/** Opens and closes the writing end, so a reader still waiting to open sees an empty stream. */
async function unblockReader(pipe: string): Promise<void> {
  try {
    const handle = await open(pipe, constants.O_WRONLY | constants.O_NONBLOCK)
    await handle.close()
  } catch {
    // No reader is waiting (ENXIO) or the pipe is gone: nothing to unblock.
  }
}
