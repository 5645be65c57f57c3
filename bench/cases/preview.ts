import { join } from 'node:path'
import { freshFolder } from '../data'
import { measureChild, taskCommand } from '../measure'
import { samplePipeline, writeSampleSubset } from '../pipelines'
import { formatMs, type CaseOutcome, type ResultRow } from '../report'
import { million, type BenchContext } from './context'
import { samplePipelineRuns } from './pipeline-runs'

/**
 * Case (e): a 100-row preview of every node of the 10M pipeline in two states. (i) Right after
 * the full run: the child runs the pipeline again on case (d)'s staging with reuse on, so every
 * result is stored (or held for the session) before it previews. (ii) Only the sources stored:
 * a pipeline of just the three source nodes (same ids and configs) is run into a fresh staging
 * file, so every transform must be recomputed for its preview.
 */
export async function previewCase(context: BenchContext): Promise<CaseOutcome> {
  const runs = await samplePipelineRuns(10 * million, context)
  const folder = freshFolder('preview-orders-10m')
  const sourcesOnly = writeSampleSubset(
    join(folder, 'sources.json'),
    'Sample sources only (bench)',
    (node) => node.kind.startsWith('source.'),
  )
  const staging = join(folder, 'staging.duckdb')
  const states = [
    { label: '(e.i) preview, all stored', prepare: samplePipeline, place: runs.place },
    {
      label: '(e.ii) preview, sources only',
      prepare: sourcesOnly,
      place: { ...runs.place, staging, workDir: `${staging}.work` },
    },
  ]
  const rows: ResultRow[] = []
  const details: string[] = []
  for (const { label, prepare, place } of states) {
    context.log(`  ${label}: preparing the staging database …`)
    const run = await measureChild(
      taskCommand('sluice-preview', { pipeline: samplePipeline, prepare, ...place, rows: 100 }),
    )
    for (const step of run.work.steps) {
      rows.push({
        case: `${label}: ${step.name}`,
        sluice: { ms: step.ms },
        target: '< 500 ms',
        met: step.ms < 500,
        otherLoad: run.otherLoad,
      })
    }
    const total = run.work.steps.reduce((sum, step) => sum + step.ms, 0)
    details.push(`  ${label}: ${formatMs(total)} for all nodes; ${run.work.notes[0] ?? ''}`)
  }
  return { rows, details }
}
