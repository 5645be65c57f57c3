import { createReadStream } from 'node:fs'

/**
 * Counts the non-blank lines after the first `skipLines` lines, streaming the file. Only used
 * when DuckDB read zero rows, to tell an empty file from one DuckDB could not parse.
 */
export async function countDataLines(path: string, skipLines: number): Promise<number> {
  let lineIndex = 0
  let lineHasContent = false
  let count = 0
  for await (const chunk of createReadStream(path)) {
    for (const byte of chunk as Buffer) {
      if (byte === 0x0a) {
        if (lineIndex >= skipLines && lineHasContent) {
          count += 1
        }
        lineIndex += 1
        lineHasContent = false
      } else if (byte !== 0x0d && byte !== 0x20 && byte !== 0x09) {
        lineHasContent = true
      }
    }
  }
  if (lineIndex >= skipLines && lineHasContent) {
    count += 1
  }
  return count
}
