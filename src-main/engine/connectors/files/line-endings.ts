import { createReadStream, createWriteStream } from 'node:fs'
import { rename } from 'node:fs/promises'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'

export type LineEndings = 'lf' | 'crlf' | 'mixed' | 'none'

/**
 * The line endings used between records in a sample, ignoring line breaks inside quoted fields.
 * DuckDB's sniffer gives up when a quoted field holds a different line break than the records,
 * or when records mix CRLF and LF; knowing which case it is lets Sluice read the file anyway.
 */
export function recordLineEndings(sample: string, quote: string): LineEndings {
  let inQuotes = false
  let lf = 0
  let crlf = 0
  for (let index = 0; index < sample.length; index += 1) {
    const char = sample[index]
    if (quote && char === quote) {
      inQuotes = !inQuotes
    } else if (char === '\n' && !inQuotes) {
      if (sample[index - 1] === '\r') {
        crlf += 1
      } else {
        lf += 1
      }
    }
  }
  return lf > 0 && crlf > 0 ? 'mixed' : crlf > 0 ? 'crlf' : lf > 0 ? 'lf' : 'none'
}

/** Streams a copy of `source` with every CRLF turned into LF (a CR split across chunks included). */
export async function copyWithLfEndings(source: string, target: string): Promise<void> {
  let pendingCr = false
  const normalise = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      let text = chunk.toString('latin1')
      if (pendingCr) {
        text = `\r${text}`
      }
      pendingCr = text.endsWith('\r')
      if (pendingCr) {
        text = text.slice(0, -1)
      }
      done(null, Buffer.from(text.replaceAll('\r\n', '\n'), 'latin1'))
    },
    flush(done) {
      done(null, pendingCr ? Buffer.from('\r', 'latin1') : null)
    },
  })
  const partial = `${target}.partial`
  await pipeline(createReadStream(source), normalise, createWriteStream(partial))
  await rename(partial, target)
}
