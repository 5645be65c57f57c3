import { writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { million, type BenchContext } from './cases/context'
import { csvStagingCase } from './cases/csv-staging'
import { pandasCase } from './cases/pandas'
import { previewCase } from './cases/preview'
import { canvasFpsCase } from './cases/canvas-fps'
import { databaseCase, largeDatabasePushCase } from './cases/database-push'
import { projectStoreCase } from './cases/project-store'
import { responsivenessCase } from './cases/service-responsiveness'
import { largePipelineCase, samplePipelineCase } from './cases/sample-pipeline'
import { qualityProfileCase, qualitySuiteCase } from './cases/quality'
import { benchDataDir, removeScratch } from './data'
import { codeState } from './code-state'
import { acquireBenchLock, isAlive } from './lock'
import { formatLine, formatTable, type CaseOutcome, type ResultRow } from './report'

/**
 * `npm run bench [-- --only a,b] [--skip-10m] [--reps N] [--reps-10m N] [--keep]`: generates the seeded data
 * once, runs each case with Sluice and its reference in child processes, prints a line per
 * result, then a Markdown table (also written to bench/data/results.md).
 */
const usage = `npm run bench -- [--only a,b,c,d,e,f,g,h,i,j] [--skip-10m] [--reps N] [--reps-10m N] [--keep]
  --skip-10m    only 1M-row data; (j.1) then runs its suite on 1M orders
  --reps N      runs of each side of a case, the median counts (default 3)
  --reps-10m N  the same for the 10M runs of (d), (e), (i) and (j.1) (default 1)
  --keep        keep staging files and outputs under bench/data/work (until the next run)`

interface BenchCase {
  id: string
  /** Needs the 10M-row data; skipped by --skip-10m. */
  large: boolean
  run(context: BenchContext): Promise<CaseOutcome>
}

const cases: BenchCase[] = [
  { id: 'a', large: false, run: (context) => csvStagingCase(million, context) },
  { id: 'a', large: true, run: (context) => csvStagingCase(10 * million, context) },
  { id: 'b', large: false, run: samplePipelineCase },
  { id: 'c', large: false, run: pandasCase },
  { id: 'd', large: true, run: largePipelineCase },
  { id: 'e', large: true, run: previewCase },
  { id: 'f', large: false, run: projectStoreCase },
  { id: 'g', large: true, run: responsivenessCase },
  { id: 'h', large: false, run: canvasFpsCase },
  { id: 'i', large: false, run: databaseCase },
  { id: 'i', large: true, run: largeDatabasePushCase },
  // (j.1) picks its size itself: 10M, or 1M under --skip-10m.
  { id: 'j', large: false, run: qualitySuiteCase },
  { id: 'j', large: false, run: qualityProfileCase },
]

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    'skip-10m': { type: 'boolean', default: false },
    reps: { type: 'string', default: '3' },
    'reps-10m': { type: 'string', default: '1' },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
})
const reps = Number.parseInt(values.reps, 10)
const reps10m = Number.parseInt(values['reps-10m'], 10)
const only = values.only?.split(',').map((id) => id.trim())
const validReps = [reps, reps10m].every((count) => Number.isInteger(count) && count >= 1)
if (
  values.help ||
  !validReps ||
  only?.some((id) => !['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'].includes(id))
) {
  process.stderr.write(`${usage}\n`)
  process.exit(values.help ? 0 : 2)
}

const log = (line: string): void => {
  process.stdout.write(`${line}\n`)
}
const context: BenchContext = { reps, reps10m, log, skip10m: values['skip-10m'] }
const selected = cases.filter(
  (entry) => (!only || only.includes(entry.id)) && !(entry.large && values['skip-10m']),
)
const rows: ResultRow[] = []
const details: string[] = []
let failed = false

await acquireBenchLock(log)

log(`Sluice benchmarks: ${cpus().length} cores, ${Math.round(totalmem() / 1024 ** 3)} GB RAM`)
const runs = `median of ${reps} runs per side, ${reps10m} for the 10M pipeline`
const measured = codeState()
log(`Node ${process.version}; ${runs}; ${measured.label}`)
for (const entry of selected) {
  try {
    const outcome = await entry.run(context)
    for (const row of outcome.rows) {
      log(formatLine(row))
    }
    for (const line of outcome.details) {
      log(line)
    }
    rows.push(...outcome.rows)
    details.push(`${outcome.rows[0]?.case ?? `(${entry.id})`}`, ...outcome.details)
  } catch (thrown) {
    failed = true
    log(`(${entry.id}) FAILED: ${thrown instanceof Error ? thrown.message : String(thrown)}`)
  }
}

const table = formatTable(rows)
log(`\n${table}\n`)
const finalState = codeState()
const changed =
  finalState.fingerprint === measured.fingerprint
    ? ''
    : `⚠ The code changed during this run; its figures mix both. Ended on: ${finalState.label}.\n`
if (changed) {
  log(changed)
}
const heading = `# Sluice benchmark results\n\n${new Date().toISOString()}, ${cpus().length} cores, Node ${process.version}, ${runs}.\nMeasured: ${measured.label}.\n${changed}`
const detailBlock =
  details.length > 0 ? `\n## Details\n\n\`\`\`\n${details.join('\n')}\n\`\`\`\n` : ''
writeFileSync(join(benchDataDir, 'results.md'), `${heading}\n${table}\n${detailBlock}`)
log(`Written to ${join(benchDataDir, 'results.md')}`)
if (!values.keep) {
  removeScratch(isAlive)
}
process.exitCode = failed ? 1 : 0
