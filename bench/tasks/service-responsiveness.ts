import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { z } from 'zod'
import type { ApiClient } from '../../src-shared/api'
import { createEnvironmentSecrets, createSluiceService } from '../../src-main/service'
import { reportWork, taskInput } from '../measure'

/**
 * Child task for case (g): the service as the app's hosts run it, in this process.
 * (g.i) The event loop's delay while a run goes on (p99), against the same loop idle; the UI's
 *   requests and events wait on this loop, so it says whether the app stays responsive.
 * (g.ii) The first preview of each node of the sample pipeline in a project nothing has run in
 *   yet, timed from the request to the answer, as the preview panel asks after a click.
 */
const input = taskInput(
  z.object({
    folder: z.string(),
    pipeline: z.string(),
    data: z.string(),
    mode: z.enum(['event-loop', 'previews']),
  }),
)

async function openSample(client: ApiClient, name: string): Promise<string> {
  await client['project/create']({ path: join(input.folder, `${name}.sluice`), name })
  await client['parameter/set']({ name: 'data', value: input.data })
  await client['parameter/set']({ name: 'output', value: join(input.folder, `${name}-out`) })
  const imported = await client['pipeline/import']({ json: readFileSync(input.pipeline, 'utf8') })
  return imported.id
}

/** The p99 of the event loop's delay over `work`, in ms. */
async function loopDelayDuring(work: () => Promise<void>): Promise<number> {
  const histogram = monitorEventLoopDelay({ resolution: 10 })
  histogram.enable()
  await work()
  histogram.disable()
  return histogram.percentile(99) / 1e6
}

const service = createSluiceService({ secrets: createEnvironmentSecrets({}) })
const { client } = service
await reportWork(async (step, note) => {
  const pipelineId = await openSample(client, input.mode)
  if (input.mode === 'event-loop') {
    const idle = await loopDelayDuring(() => new Promise((resume) => setTimeout(resume, 3000)))
    let status = ''
    const started = performance.now()
    const busy = await loopDelayDuring(async () => {
      const { runId } = await client['run/start']({ pipelineId })
      status = (await client['run/wait']({ runId })).status
    })
    note(`run ${status} in ${((performance.now() - started) / 1000).toFixed(1)} s`)
    step('loop-delay-p99', busy)
    step('loop-delay-p99:idle', idle)
    return
  }
  const { document } = await client['pipeline/get']({ id: pipelineId })
  for (const node of document.nodes) {
    const started = performance.now()
    const preview = await client['preview/node']({ pipelineId, nodeId: node.id, rows: 100 })
    step(`preview:${node.id}`, performance.now() - started)
    note(`${node.id}: ${preview.rows.length} rows`)
  }
})
await service.close()
