import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { repoRoot } from './measure'

function git(...args: string[]): string {
  return spawnSync('git', args, { cwd: repoRoot, encoding: 'utf8' }).stdout
}

/**
 * What is being measured: the commit, the engine files changed since (the working tree is what
 * runs, and others may be editing it), a hash of those changes, and the installed DuckDB. Read
 * at the start and the end of a run, so a run whose code changed underneath it says so.
 */
export function codeState(): string {
  const files = git('status', '--short', '--', 'src-main', 'src-shared')
    .split('\n')
    .map((line) => line.slice(3))
    .filter((file) => file && !file.endsWith('.test.ts'))
  const manifest = join(repoRoot, 'node_modules', '@duckdb', 'node-api', 'package.json')
  const duckdb = z.object({ version: z.string() }).parse(JSON.parse(readFileSync(manifest, 'utf8')))
  const parts = [`commit ${git('rev-parse', '--short', 'HEAD').trim()}`]
  if (files.length > 0) {
    const diff = git('diff', 'HEAD', '--', 'src-main', 'src-shared')
    const hash = createHash('sha256').update(diff).digest('hex').slice(0, 8)
    parts.push(`uncommitted changes to ${files.join(', ')} (diff ${hash})`)
  }
  parts.push(`@duckdb/node-api ${duckdb.version}`)
  return parts.join(' + ')
}
