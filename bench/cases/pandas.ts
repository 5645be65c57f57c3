import { join } from 'node:path'
import { freshFolder } from '../data'
import { measureChild, medianRun, repoRoot, type Measurement } from '../measure'
import { comparedRow, spreadLine, stepLines, type CaseOutcome } from '../report'
import { compareOutputs } from '../verify'
import { million, type BenchContext } from './context'
import { samplePipelineRuns } from './pipeline-runs'

/**
 * Case (c): pandas doing the sample pipeline's work on 1M orders (Debian's python3-pandas, as an
 * analyst would script it), against Sluice's run from case (b).
 */
export async function pandasCase(context: BenchContext): Promise<CaseOutcome> {
  const runs = await samplePipelineRuns(million, context)
  const pandasRuns: Measurement[] = []
  let output = ''
  for (let rep = 0; rep < context.reps; rep += 1) {
    output = join(freshFolder('pandas-1m'), 'output')
    const input = JSON.stringify({ data: runs.dataset.dir, output })
    pandasRuns.push(
      await measureChild({
        program: '/usr/bin/python3',
        args: [join(repoRoot, 'bench', 'pandas_orders.py'), input],
      }),
    )
  }
  const pandas = medianRun(pandasRuns)
  // pandas formats numbers its own way (132.3 for 132.30), so only the row counts must agree.
  const { problems } = await compareOutputs(runs.place.parameters.output, output, 'lines')
  const row = comparedRow(
    '(c) sample pipeline 1M vs pandas',
    runs.sluice,
    { name: 'pandas', run: pandas },
    'speed-up',
    'speed-up ≥ 5×',
    (speedUp) => speedUp >= 5 && problems.length === 0,
  )
  const details = [
    spreadLine([['pandas', pandasRuns]]),
    ...stepLines('pandas per step', pandas),
    ...pandas.work.notes.map((note) => `  pandas: ${note}`),
    problems.length === 0
      ? '  outputs: the four CSV files have the same number of lines as Sluice’s'
      : `  OUTPUTS DIFFER: ${problems.join('; ')}`,
  ]
  return { rows: [row], details }
}
