import { freshFolder } from '../data'
import { measureChild, taskCommand } from '../measure'
import { formatMs, type CaseOutcome, type ResultRow } from '../report'
import type { BenchContext } from './context'

/** Run records in the history the paging case reads from. */
const historySize = 10_000

/**
 * Case (f): the project store. One child times each operation many times (the median counts),
 * and the same operation in plain better-sqlite3 doing the least the job needs, as a floor.
 */
export async function projectStoreCase(context: BenchContext): Promise<CaseOutcome> {
  const folder = freshFolder('project-store')
  context.log('  (f) building projects: 10,000 runs, 100 pipelines × 50 versions …')
  const run = await measureChild(
    taskCommand('project-store', { folder, reps: Math.max(30, context.reps), runs: historySize }),
  )
  const steps = new Map(run.work.steps.map((step) => [step.name, step.ms]))
  const row = (name: string, step: string, targetMs: number, referenceStep: string): ResultRow => {
    const ms = steps.get(step) ?? Number.NaN
    const reference = steps.get(referenceStep) ?? Number.NaN
    return {
      case: name,
      sluice: { ms },
      reference: { name: 'raw SQLite', ms: reference, wallMs: run.wallMs, rssBytes: run.rssBytes },
      comparison: 'ratio',
      target: `< ${targetMs} ms`,
      met: ms < targetMs,
      otherLoad: run.otherLoad,
    }
  }
  return {
    rows: [
      row('(f.i) save a 200-node version', 'save-version', 20, 'save-version:raw'),
      row('(f.ii) 50 of 10,000 runs, newest', 'runs-page', 20, 'runs-page:raw'),
      row('(f.ii) 50 of 10,000 runs, middle', 'runs-page-middle', 20, 'runs-page:raw'),
      row('(f.iii) open 100 × 50 versions', 'open-project', 100, 'open-project:raw'),
    ],
    details: [
      ...run.work.notes.map((note) => `  ${note}`),
      `  child peak RSS ${Math.round(run.rssBytes / 1024 ** 2)} MB, wall ${formatMs(run.wallMs)}`,
    ],
  }
}
