import { appendFile, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { followFile } from './follow-file'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-follow-'))
})
afterEach(() => rm(dir, { recursive: true, force: true }))

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) {
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** Appends `parts` to `path` one by one with pauses, as a slow writer would; then fails if asked. */
async function slowWriter(path: string, parts: string[], failure?: Error): Promise<void> {
  for (const part of parts) {
    await sleep(30)
    await appendFile(path, part)
  }
  if (failure) {
    throw failure
  }
}

it('reads everything a slower writer appends, and ends only when it has finished', async () => {
  const path = join(dir, 'growing.csv')
  const parts = ['id,name\n', '1,a', 'da\n2,b', 'ob\n', `${'3,'.padEnd(3 << 20, 'x')}\n`]
  const text = await readAll(followFile(path, slowWriter(path, parts)))
  expect(text).toBe(parts.join(''))
})

it("fails with the writer's error instead of ending on the part it got", async () => {
  const path = join(dir, 'stopped.csv')
  const written = slowWriter(path, ['1\n', '2\n'], new Error('the export stopped'))
  await expect(readAll(followFile(path, written))).rejects.toThrow('the export stopped')
})

it('fails when the writer finishes without ever creating the file', async () => {
  const path = join(dir, 'never.csv')
  await expect(readAll(followFile(path, sleep(20)))).rejects.toThrow(/without writing/)
})
