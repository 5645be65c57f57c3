import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, it } from 'vitest'
import { writeCsvChunks } from './csv-chunks'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) {
    rmSync(dir, { recursive: true, force: true })
  }
})

/** Splits `csv`, fed in pieces of `piece` bytes, into chunks of about `size` bytes. */
async function split(csv: string, size: number, piece: number): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-chunks-'))
  dirs.push(dir)
  const bytes = Buffer.from(csv)
  async function* pieces(): AsyncGenerator<Buffer> {
    for (let at = 0; at < bytes.length; at += piece) {
      yield bytes.subarray(at, at + piece)
    }
  }
  const files: string[] = []
  const total = await writeCsvChunks(
    pieces(),
    (index) => join(dir, `${index}.csv`),
    size,
    (file) => files.push(file),
    () => undefined,
  )
  expect(total).toBe(bytes.length)
  return files.map((file) => readFileSync(file, 'utf8'))
}

it('cuts only between records, never inside a quoted line break or quote', async () => {
  const rows = Array.from({ length: 200 }, (_, index) =>
    index % 3 === 0 ? `${index},"line\n""break"", ${index}\n"\n` : `${index},plain ${index}\n`,
  )
  const csv = rows.join('')
  for (const [size, piece] of [
    [10, 7],
    [64, 1],
    [100, 4096],
    [1, 3],
  ] as const) {
    const chunks = await split(csv, size, piece)
    expect(chunks.join('')).toBe(csv)
    expect(chunks.length).toBeGreaterThan(1)
    for (const chunk of chunks.slice(0, -1)) {
      // Every chunk is whole records: an even number of quotes, ending in a line break.
      expect((chunk.match(/"/g) ?? []).length % 2).toBe(0)
      expect(chunk.endsWith('\n')).toBe(true)
    }
  }
})

it('writes one empty chunk for an empty result', async () => {
  expect(await split('', 10, 10)).toEqual([''])
})
