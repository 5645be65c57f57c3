import { join } from 'node:path'
import { ensureDataset, freshFolder, warmCache } from '../data'
import { measureChild, taskCommand } from '../measure'
import { samplePipeline } from '../pipelines'
import { formatMs, type CaseOutcome, type ResultRow } from '../report'
import { million, type BenchContext } from './context'

/**
 * Case (g): whether the app stays responsive. (g.i) The service's event-loop delay (p99) during
 * the 10M-row sample run, against the same loop idle. (g.ii) The first preview of each node of
 * the 1M-row sample in a project where nothing has run, from request to answer.
 */
export async function responsivenessCase(context: BenchContext): Promise<CaseOutcome> {
  const rows: ResultRow[] = []
  const details: string[] = []

  const large = await ensureDataset(10 * million, context.log)
  await warmCache(large)
  const loop = await measureChild(
    taskCommand('service-responsiveness', {
      folder: freshFolder('responsiveness', 'loop'),
      pipeline: samplePipeline,
      data: large.dir,
      mode: 'event-loop',
    }),
  )
  const steps = new Map(loop.work.steps.map((step) => [step.name, step.ms]))
  const p99 = steps.get('loop-delay-p99') ?? Number.NaN
  rows.push({
    case: '(g.i) event-loop p99, 10M run',
    sluice: { ms: p99, rssBytes: loop.rssBytes },
    reference: {
      name: 'idle loop',
      ms: steps.get('loop-delay-p99:idle') ?? Number.NaN,
      wallMs: loop.wallMs,
      rssBytes: loop.rssBytes,
    },
    comparison: 'ratio',
    target: '< 50 ms',
    met: p99 < 50,
    otherLoad: loop.otherLoad,
  })
  details.push(...loop.work.notes.map((note) => `  ${note}`))

  const small = await ensureDataset(million, context.log)
  await warmCache(small)
  const previews = await measureChild(
    taskCommand('service-responsiveness', {
      folder: freshFolder('responsiveness', 'previews'),
      pipeline: samplePipeline,
      data: small.dir,
      mode: 'previews',
    }),
  )
  const times = previews.work.steps.filter((step) => step.name.startsWith('preview:'))
  const slowest = Math.max(...times.map((step) => step.ms))
  rows.push({
    case: '(g.ii) first preview, 1M, slowest node',
    sluice: { ms: slowest, rssBytes: previews.rssBytes },
    target: '< 1 s',
    met: slowest < 1000,
    otherLoad: previews.otherLoad,
  })
  details.push(
    ...times.map((step) => `  ${step.name.slice('preview:'.length)}: ${formatMs(step.ms)}`),
  )
  return { rows, details: [`  10M run in ${join(large.dir)}`, ...details] }
}
