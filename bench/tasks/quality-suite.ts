import { readFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { z } from 'zod'
import { validatePipeline, type ValidPipeline } from '../../src-shared/pipeline'
import { executePipeline, openStaging } from '../../src-main/engine'
import { reportWork, taskInput } from '../measure'

/**
 * Child task of case (j.1): stages the orders with a sources-only copy of the pipeline (not
 * timed), then runs the whole pipeline with reuse on, so only the `quality.validate` node works.
 * Reports the validate node's own time as the step `validate` and, in a note, each rule's tested
 * and failed counts and the relation the source left, for the reference to read the same rows.
 */
const input = taskInput(
  z.object({
    pipeline: z.string(),
    prepare: z.string(),
    staging: z.string(),
    workDir: z.string(),
    node: z.string(),
  }),
)

function loadPipeline(path: string): ValidPipeline {
  const validation = validatePipeline(JSON.parse(readFileSync(path, 'utf8')))
  if (!validation.ok) {
    throw new Error(
      `invalid pipeline ${path}: ${validation.errors.map((e) => e.message).join('; ')}`,
    )
  }
  return validation.pipeline
}

const staging = await openStaging({ path: input.staging })
const options = { staging, baseDir: dirname(input.pipeline), workDir: input.workDir, reuse: true }
try {
  const prepared = await executePipeline(loadPipeline(input.prepare), options)
  if (prepared.status !== 'succeeded') {
    throw new Error(
      `staging the orders ${prepared.status}: ${prepared.errors.map((e) => e.message).join('; ')}`,
    )
  }
  await reportWork(async (step, note) => {
    const result = await executePipeline(loadPipeline(input.pipeline), options)
    if (result.status !== 'succeeded') {
      throw new Error(`run ${result.status}: ${result.errors.map((e) => e.message).join('; ')}`)
    }
    const suite = result.nodes.find((node) => node.nodeId === input.node)
    const source = result.nodes.find((node) => node.nodeId !== input.node)
    if (!suite?.quality) {
      throw new Error(`node ${input.node} reported no quality results`)
    }
    step('validate', suite.ms)
    step('run', result.ms)
    const counts = Object.fromEntries(
      suite.quality.rules.map((rule) => [rule.rule, [rule.tested, rule.failed]]),
    )
    note(
      JSON.stringify({
        relation: source?.outputs.out?.relation ?? '',
        statuses: result.nodes.map((node) => `${node.nodeId} ${node.status}`),
        counts,
        score: suite.quality.score.score,
      }),
    )
  })
} finally {
  staging.close()
}
