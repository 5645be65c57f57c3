import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { ProjectStore } from './project-store'
import { sampleDocument, useTempDir } from './store-test-support'

const tempDir = useTempDir()
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))

function child(script: string, args: string[]) {
  return spawn(process.execPath, ['--import', 'tsx', fixture(script), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
}

/** Starts the saving child, kills it with SIGKILL at a random moment, returns what it printed. */
async function saveThenKill(path: string, pipelineId: string): Promise<number> {
  const saver = child('save-versions-child.ts', [path, pipelineId])
  let printed = ''
  let stderr = ''
  saver.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<void>((resolve) => saver.on('exit', () => resolve()))
  await new Promise<void>((resolve, reject) => {
    saver.stdout.on('data', (chunk: Buffer) => {
      const first = printed === ''
      printed += chunk.toString()
      if (first) {
        setTimeout(() => {
          saver.kill('SIGKILL')
          resolve()
        }, Math.random() * 150)
      }
    })
    saver.on('exit', () => reject(new Error(`child ended before saving: ${stderr}`)))
  })
  await exited
  const numbers = printed
    .split('\n')
    .filter((line) => /^\d+$/.test(line))
    .map(Number)
  return numbers.at(-1) ?? 0
}

describe('two processes on one project', () => {
  it('keeps every version a killed process reported as saved', async () => {
    const path = join(tempDir(), 'crash.sluice')
    const store = ProjectStore.create(path, { name: 'Crash' })
    const { id } = store.pipelines.create({ name: 'Crash', document: sampleDocument('a') })
    store.close()
    for (let round = 0; round < 20; round += 1) {
      const lastPrinted = await saveThenKill(path, id)
      expect(lastPrinted).toBeGreaterThanOrEqual(1)
      const reopened = ProjectStore.open(path)
      const check = reopened.internals().database.db.pragma('quick_check', { simple: true })
      expect(check).toBe('ok')
      const latest = reopened.pipelines.list()[0]?.latestVersion ?? 0
      expect(latest).toBeGreaterThanOrEqual(lastPrinted)
      expect(reopened.pipelines.version(id, latest).message).toMatch(/^save \d+$/)
      reopened.close()
    }
  }, 60_000)

  it('lets one process list runs while another writes them, never "locked" or "busy"', async () => {
    const path = join(tempDir(), 'shared.sluice')
    ProjectStore.create(path, { name: 'Shared' }).close()
    const writer = child('append-runs-child.ts', [path, '3000'])
    let output = ''
    writer.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    writer.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    const done = new Promise<void>((resolve) => writer.on('exit', () => resolve()))
    const reader = ProjectStore.open(path)
    let finished = false
    void done.then(() => (finished = true))
    let seen = 0
    const readerErrors: string[] = []
    while (!finished) {
      try {
        seen = Math.max(seen, reader.runs.list({ limit: 50 }).length)
        reader.parameters.set({ name: 'tick', value: String(Date.now()), description: '' })
      } catch (thrown) {
        readerErrors.push(thrown instanceof Error ? thrown.message : String(thrown))
      }
      await new Promise((resolve) => setTimeout(resolve, 2))
    }
    expect(readerErrors).toEqual([])
    expect(output).toMatch(/^ok \d+/)
    expect(output).not.toMatch(/locked|busy/i)
    const written = Number(/ok (\d+)/.exec(output)?.[1])
    expect(written).toBeGreaterThan(0)
    expect(reader.runs.list({ limit: 100_000 })).toHaveLength(written)
    expect(seen).toBeGreaterThan(0)
    reader.close()
    const db = new Database(path)
    expect(db.pragma('quick_check', { simple: true })).toBe('ok')
    db.close()
  }, 30_000)
})
