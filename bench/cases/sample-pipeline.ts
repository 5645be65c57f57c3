import { comparedRow, spreadLine, stepLines, type CaseOutcome } from '../report'
import { million, type BenchContext } from './context'
import { samplePipelineRuns, type PipelineRuns } from './pipeline-runs'

const twoGiB = 2 * 1024 ** 3

function comparisonDetails(runs: PipelineRuns): string[] {
  return [
    spreadLine([
      ['sluice', runs.all.sluice],
      ['duckdb', runs.all.duckdb],
    ]),
    ...stepLines('Sluice per node (two run at once, so times overlap)', runs.sluice),
    ...stepLines('DuckDB script per step', runs.duckdb),
    runs.outputs.problems.length === 0
      ? '  outputs: the four CSV files are the same on both sides'
      : `  OUTPUTS DIFFER: ${runs.outputs.problems.join('; ')}`,
    ...runs.outputs.notes.map((note) => `  outputs: ${note}`),
  ]
}

/** Case (b): the sample pipeline on 1M orders, end to end, against one hand-written script. */
export async function samplePipelineCase(context: BenchContext): Promise<CaseOutcome> {
  const runs = await samplePipelineRuns(million, context)
  const row = comparedRow(
    '(b) sample pipeline 1M',
    runs.sluice,
    { name: 'duckdb', run: runs.duckdb },
    'ratio',
    'ratio ≤ 1.3, < 5 s',
    (ratio) => ratio <= 1.3 && runs.sluice.work.ms < 5000 && runs.outputs.problems.length === 0,
  )
  return { rows: [row], details: comparisonDetails(runs) }
}

/**
 * Case (d): the sample pipeline on 10M orders. The target is Sluice's memory; the hand-written
 * script runs beside it so the time has a yardstick.
 */
export async function largePipelineCase(context: BenchContext): Promise<CaseOutcome> {
  const runs = await samplePipelineRuns(10 * million, context)
  const row = comparedRow(
    '(d) sample pipeline 10M',
    runs.sluice,
    { name: 'duckdb', run: runs.duckdb },
    'ratio',
    'RSS < 2 GB',
    () => runs.sluice.rssBytes < twoGiB && runs.outputs.problems.length === 0,
  )
  return { rows: [row], details: comparisonDetails(runs) }
}
