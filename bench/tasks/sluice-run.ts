import { readFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { z } from 'zod'
import { validatePipeline } from '../../src-shared/pipeline'
import { executePipeline, openStaging } from '../../src-main/engine'
import { reportWork, taskInput } from '../measure'

/**
 * Child task: runs a pipeline file through `executePipeline` into a staging database, with
 * nothing reused, and reports the time of open + run + close and each node's own time.
 */
const input = taskInput(
  z.object({
    pipeline: z.string(),
    parameters: z.record(z.string(), z.string()),
    staging: z.string(),
    workDir: z.string(),
  }),
)

const validation = validatePipeline(JSON.parse(readFileSync(input.pipeline, 'utf8')), {
  parameters: input.parameters,
})
if (!validation.ok) {
  throw new Error(`invalid pipeline: ${validation.errors.map((error) => error.message).join('; ')}`)
}
const pipeline = validation.pipeline

await reportWork(async (step, note) => {
  const staging = await openStaging({ path: input.staging })
  try {
    const result = await executePipeline(pipeline, {
      staging,
      baseDir: dirname(input.pipeline),
      workDir: input.workDir,
      reuse: false,
    })
    if (result.status !== 'succeeded') {
      throw new Error(
        `run ${result.status}: ${result.errors.map((error) => error.message).join('; ')}`,
      )
    }
    for (const node of result.nodes) {
      step(node.nodeId, node.ms)
      note(`${node.nodeId}: ${node.rowsOut} rows out, ${node.rowsRejected} rejected`)
    }
  } finally {
    staging.close()
  }
})
