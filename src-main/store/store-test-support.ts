import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'
import { SluiceFailure, type SluiceError } from '../../src-shared/errors'
import type { Pipeline } from '../../src-shared/pipeline'

/** A fresh temp folder per test, removed afterwards. */
export function useTempDir(): () => string {
  const dirs: string[] = []
  afterEach(() => {
    for (const dir of dirs.splice(0)) {
      rmSync(dir, { recursive: true, force: true })
    }
  })
  return () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-store-'))
    dirs.push(dir)
    return dir
  }
}

/** A small valid pipeline document whose one node carries `label`. */
export function sampleDocument(label: string): Pipeline {
  return {
    formatVersion: 1,
    name: 'Orders',
    parameters: {},
    nodes: [{ id: 'orders', kind: 'csv-source', label, position: { x: 1, y: 2 }, config: {} }],
    edges: [],
  }
}

/** The `SluiceError` that `work` throws; fails the test if it throws something else or nothing. */
export function failureOf(work: () => unknown): SluiceError {
  try {
    work()
  } catch (thrown) {
    if (thrown instanceof SluiceFailure) {
      return thrown.error
    }
    throw thrown
  }
  throw new Error('expected a SluiceFailure, nothing was thrown')
}
