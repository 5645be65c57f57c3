import { resolve } from 'node:path'
import { ESLint } from 'eslint'
import { beforeAll, describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '../..')

let eslint: ESLint

/** The rule ids ESLint reports for `code` as if it were the file at `filePath`. */
async function ruleIdsFor(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(root, filePath) })
  return (result?.messages ?? []).map((message) => message.ruleId ?? message.message)
}

beforeAll(async () => {
  eslint = new ESLint({ cwd: root, overrideConfigFile: resolve(root, 'eslint.config.js') })
  // Loading the config and its plugins takes about a second; pay it here, not in the first test.
  await eslint.calculateConfigForFile(resolve(root, 'src-shared/x.ts'))
})

describe('layer rules in eslint.config.js', () => {
  it.each([
    ['src-shared/x.ts', "import fs from 'node:fs'; export const x = fs"],
    ['src-shared/x.ts', "import { join } from 'path'; export const x = join"],
    ['src-shared/x.ts', "export { readFile } from 'fs/promises'"],
    ['src-shared/x.ts', "import { app } from 'electron'; export const x = app"],
    ['src-shared/nodes/x.ts', "import { y } from '../../src-main/engine/y'; export const x = y"],
    ['src-main/engine/x.ts', "import { app } from 'electron'; export const x = app"],
    ['src-main/engine/run/x.ts', "import type { App } from 'electron'; export type X = App"],
    ['src-main/service/x.ts', "import { y } from '../../src-renderer/x'; export const x = y"],
    ['src-main/hosts/electron/x.ts', "import '../../../src-renderer/src/main'"],
    ['src-renderer/src/x.ts', "import '../src-main/x'"],
    ['src-renderer/src/x.ts', "import { app } from 'electron'; export const x = app"],
    ['src-renderer/src/x.ts', "import os from 'node:os'; export const x = os"],
  ])('%s rejects: %s', async (filePath, code) => {
    expect(await ruleIdsFor(filePath, code)).toEqual(['no-restricted-imports'])
  })

  it.each([
    ['src-shared/x.ts', 'export const x = window.location.href'],
    ['src-shared/x.ts', 'export const x = process.env.HOME'],
    ['src-shared/x.ts', "export const x = Buffer.from('a')"],
    ['src-renderer/src/x.ts', 'export const x = process.platform'],
  ])('%s rejects the global in: %s', async (filePath, code) => {
    expect(await ruleIdsFor(filePath, code)).toEqual(['no-restricted-globals'])
  })

  it.each([
    [
      'src-shared/x.ts',
      "import { z } from 'zod'; import { y } from './y'; export const x = [z, y]",
    ],
    [
      'src-main/engine/x.ts',
      "import fs from 'node:fs'; import { y } from '../../src-shared/y'; export const x = [fs, y]",
    ],
    ['src-main/hosts/electron/x.ts', "import { app } from 'electron'; export const x = app"],
    [
      'src-renderer/src/x.ts',
      "import { ref } from 'vue'; import { y } from '../../src-shared/y'; export const x = [ref, y, window]",
    ],
  ])('%s accepts: %s', async (filePath, code) => {
    expect(await ruleIdsFor(filePath, code)).toEqual([])
  })
})
