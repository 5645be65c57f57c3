import { freshFolder } from '../data'
import { measureChild, taskCommand } from '../measure'
import type { CaseOutcome } from '../report'
import type { BenchContext } from './context'

/**
 * Case (h): frames per second while panning and zooming a 200-node pipeline in Chromium, against
 * the same gestures over the start screen. Needs the renderer built (`npx electron-vite build`).
 */
export async function canvasFpsCase(context: BenchContext): Promise<CaseOutcome> {
  context.log('  (h) drawing a 200-node pipeline in Chromium …')
  const run = await measureChild(
    taskCommand('canvas-fps', { folder: freshFolder('canvas-fps'), seconds: 4 }),
  )
  const steps = new Map(run.work.steps.map((step) => [step.name, step.ms]))
  const fps = steps.get('canvas-fps') ?? Number.NaN
  const reference = steps.get('canvas-fps:start-screen') ?? Number.NaN
  return {
    rows: [
      {
        case: '(h) canvas fps, 200 nodes, pan+zoom',
        // The report prints times; these are frames per second, said in the details below.
        sluice: { ms: fps },
        reference: {
          name: 'start screen fps',
          ms: reference,
          wallMs: run.wallMs,
          rssBytes: run.rssBytes,
        },
        comparison: 'ratio',
        target: '≥ 50 fps',
        met: fps >= 50,
        otherLoad: run.otherLoad,
      },
    ],
    details: [
      `  canvas ${fps.toFixed(1)} fps, start screen ${reference.toFixed(1)} fps (the "ms" columns of this row are fps)`,
      ...run.work.notes.map((note) => `  ${note}`),
    ],
  }
}
