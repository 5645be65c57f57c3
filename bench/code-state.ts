import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { repoRoot } from './measure'

/** Files that never run in a benchmark: tests and their helpers. */
const testOnly = /(\.test\.ts|test-support\.ts)$/

/**
 * A hash of the code a benchmark runs: every non-test file under src-main and src-shared as it
 * is on disk (committed or not), and the installed DuckDB. Committing unchanged files keeps it.
 */
function runtimeFingerprint(duckdbVersion: string): string {
  const hash = createHash('sha256').update(duckdbVersion)
  for (const folder of ['src-main', 'src-shared']) {
    const files = readdirSync(join(repoRoot, folder), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && !testOnly.test(entry.name))
      .map((entry) => join(entry.parentPath, entry.name))
      .sort()
    for (const file of files) {
      hash.update(`${file}\0`).update(readFileSync(file))
    }
  }
  return hash.digest('hex').slice(0, 10)
}

/** What a run measures, for people (`label`) and for spotting a change mid-run (`fingerprint`). */
export interface CodeState {
  label: string
  fingerprint: string
}

/**
 * The commit, the runtime files that differ from it (the working tree is what runs, and others
 * may be editing it), and the installed DuckDB. Read at the start and the end of a run, so a run
 * whose code changed underneath it says so.
 */
export function codeState(): CodeState {
  const git = (...args: string[]): string =>
    spawnSync('git', args, { cwd: repoRoot, encoding: 'utf8' }).stdout
  const changed = git('status', '--short', '--', 'src-main', 'src-shared')
    .split('\n')
    .map((line) => line.slice(3))
    .filter((file) => file && !testOnly.test(file))
  const manifest = join(repoRoot, 'node_modules', '@duckdb', 'node-api', 'package.json')
  const duckdb = z.object({ version: z.string() }).parse(JSON.parse(readFileSync(manifest, 'utf8')))
  const fingerprint = runtimeFingerprint(duckdb.version)
  const parts = [`commit ${git('rev-parse', '--short', 'HEAD').trim()}`]
  if (changed.length > 0) {
    parts.push(`uncommitted changes to ${changed.join(', ')}`)
  }
  parts.push(`@duckdb/node-api ${duckdb.version} (runtime code ${fingerprint})`)
  return { label: parts.join(' + '), fingerprint }
}
