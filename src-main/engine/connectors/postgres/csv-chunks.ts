import { createWriteStream, type WriteStream } from 'node:fs'
import { once } from 'node:events'
import { rm } from 'node:fs/promises'

/** The quote byte of PostgreSQL's CSV; a doubled quote inside a value toggles twice. */
const quote = 0x22
const newline = 0x0a

/**
 * Writes a CSV byte stream into files of about `chunkBytes` each, cutting only between records
 * (at a line break outside quotes), and hands each finished file to `onChunk` while the stream
 * goes on. A read thus parses earlier chunks in DuckDB while the server still sends later ones,
 * instead of waiting for the whole spool. Resolves to the number of bytes written.
 */
export async function writeCsvChunks(
  source: AsyncIterable<Buffer>,
  chunkPath: (index: number) => string,
  chunkBytes: number,
  onChunk: (file: string) => void,
  onBytes: (bytes: number) => void,
): Promise<number> {
  let index = 0
  let file = chunkPath(index)
  let out = createWriteStream(file, { highWaterMark: 1 << 20 })
  let written = 0
  let total = 0
  let inQuotes = false
  const write = async (stream: WriteStream, bytes: Buffer): Promise<void> => {
    if (bytes.length > 0 && !stream.write(bytes)) {
      await once(stream, 'drain')
    }
  }
  const finish = async (stream: WriteStream): Promise<void> => {
    stream.end()
    await once(stream, 'finish')
  }
  try {
    for await (const buffer of source) {
      let start = 0
      let position = 0
      while (position < buffer.length) {
        if (written + (position - start) < chunkBytes) {
          // Below the cut size: only the quote state matters, tracked up to where the size is
          // reached (or the buffer ends).
          const until = Math.min(buffer.length, start + chunkBytes - written)
          inQuotes = toggleQuotes(buffer, position, until, inQuotes)
          position = until
          continue
        }
        const end = buffer.indexOf(newline, position)
        if (end < 0) {
          inQuotes = toggleQuotes(buffer, position, buffer.length, inQuotes)
          position = buffer.length
          break
        }
        inQuotes = toggleQuotes(buffer, position, end, inQuotes)
        position = end + 1
        if (!inQuotes) {
          await write(out, buffer.subarray(start, position))
          await finish(out)
          onChunk(file)
          index += 1
          file = chunkPath(index)
          out = createWriteStream(file, { highWaterMark: 1 << 20 })
          written = 0
          start = position
        }
      }
      await write(out, buffer.subarray(start))
      written += buffer.length - start
      total += buffer.length
      onBytes(total)
    }
    await finish(out)
    onChunk(file)
    return total
  } catch (thrown) {
    out.destroy()
    await rm(file, { force: true })
    throw thrown
  }
}

/** The quote state after the bytes `from..to` of `buffer`. */
function toggleQuotes(buffer: Buffer, from: number, to: number, inQuotes: boolean): boolean {
  let state = inQuotes
  let at = buffer.indexOf(quote, from)
  while (at >= 0 && at < to) {
    state = !state
    at = buffer.indexOf(quote, at + 1)
  }
  return state
}
