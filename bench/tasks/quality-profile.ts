import { readFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { z } from 'zod'
import { validatePipeline } from '../../src-shared/pipeline'
import { executePipeline, openStaging, profileNode } from '../../src-main/engine'
import { reportWork, taskInput } from '../measure'

/**
 * Child task of case (j.2): runs a pipeline into a staging database (not timed), then profiles
 * one node `times` times, one after the other, and reports each profile's time as a step.
 */
const input = taskInput(
  z.object({
    pipeline: z.string(),
    staging: z.string(),
    workDir: z.string(),
    node: z.string(),
    times: z.number().int().min(1),
  }),
)

const validation = validatePipeline(JSON.parse(readFileSync(input.pipeline, 'utf8')))
if (!validation.ok) {
  throw new Error(`invalid pipeline: ${validation.errors.map((e) => e.message).join('; ')}`)
}
const pipeline = validation.pipeline
const staging = await openStaging({ path: input.staging })
const options = { staging, baseDir: dirname(input.pipeline), workDir: input.workDir }
try {
  const prepared = await executePipeline(pipeline, { ...options, reuse: false })
  if (prepared.status !== 'succeeded') {
    throw new Error(
      `preparing run ${prepared.status}: ${prepared.errors.map((e) => e.message).join('; ')}`,
    )
  }
  await reportWork(async (step, note) => {
    for (let time = 1; time <= input.times; time += 1) {
      const started = performance.now()
      const profile = await profileNode(pipeline, input.node, options)
      step(`profile ${time}`, performance.now() - started)
      if (time === 1) {
        const kinds = profile.columns.map((column) => `${column.name} ${column.semanticType}`)
        note(`${profile.rows} rows × ${profile.columns.length} columns: ${kinds.join(', ')}`)
      }
    }
  })
} finally {
  staging.close()
}
