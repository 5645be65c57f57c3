import type { FileHandle } from 'node:fs/promises'
import { open } from 'node:fs/promises'
import { Readable } from 'node:stream'

/** How much one read takes from the file. */
const chunkBytes = 1 << 20

/** How long the reader waits, once it has caught up with the writer, before it looks again. */
const catchUpMs = 10

/**
 * Reads `path` while another writer (DuckDB's `COPY ... TO`) is still appending to it, so the
 * bytes can travel on while the rest is written. At the end of what is there so far it waits for
 * more until `written` settles: then it reads to the end and ends, or fails with the writer's
 * error, so a stopped export can never pass for the whole file. Unlike a named pipe, neither side
 * ever blocks on the other: the writer finishes the file whatever the reader does.
 */
export function followFile(path: string, written: Promise<void>): Readable {
  let outcome: 'writing' | 'done' | Error = 'writing'
  let wake: (() => void) | undefined
  written.then(
    () => {
      outcome = 'done'
    },
    (thrown: unknown) => {
      outcome = thrown instanceof Error ? thrown : new Error(String(thrown))
    },
  )
  void written.catch(() => undefined).finally(() => wake?.())
  let handle: FileHandle | undefined
  let position = 0

  const pause = (): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(resolve, catchUpMs)
      wake = () => {
        clearTimeout(timer)
        resolve()
      }
    })

  const stream = new Readable({
    highWaterMark: chunkBytes,
    read() {
      void pump().catch((thrown: unknown) => stream.destroy(thrown as Error))
    },
    destroy(error, callback) {
      wake?.()
      const opened = handle
      handle = undefined
      void (opened?.close() ?? Promise.resolve()).finally(() => callback(error))
    },
  })

  /** Pushes the next chunk, the end, or the writer's error; waits while there is nothing new. */
  async function pump(): Promise<void> {
    while (!stream.destroyed) {
      // Taken before the read: once the writer had finished, an empty read is the true end.
      const settled = outcome
      if (settled instanceof Error) {
        stream.destroy(settled)
        return
      }
      handle ??= await openIfCreated(path)
      if (handle) {
        const buffer = Buffer.allocUnsafe(chunkBytes)
        const { bytesRead } = await handle.read(buffer, 0, chunkBytes, position)
        if (bytesRead > 0) {
          position += bytesRead
          stream.push(buffer.subarray(0, bytesRead))
          return
        }
      }
      if (settled === 'done') {
        if (handle) {
          stream.push(null)
        } else {
          stream.destroy(new Error(`the export finished without writing ${path}`))
        }
        return
      }
      await pause()
    }
  }

  return stream
}

/** The file opened for reading, or undefined while the writer has not created it yet. */
async function openIfCreated(path: string): Promise<FileHandle | undefined> {
  try {
    return await open(path, 'r')
  } catch (thrown) {
    if ((thrown as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined
    }
    throw thrown
  }
}
