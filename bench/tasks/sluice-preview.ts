import { readFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { z } from 'zod'
import { validatePipeline, type ValidPipeline } from '../../src-shared/pipeline'
import { executePipeline, openStaging } from '../../src-main/engine'
import { previewNode } from '../../src-main/engine'
import { reportWork, taskInput } from '../measure'

/**
 * Child task: brings a staging database into a state by running a pipeline in this process
 * (not timed: the full pipeline, or only its sources), then previews every node of the full
 * pipeline, one after the other, and reports each preview's time. Running the preparation in
 * the same process keeps whatever the engine holds for its session, as the app would.
 */
const input = taskInput(
  z.object({
    pipeline: z.string(),
    prepare: z.string(),
    parameters: z.record(z.string(), z.string()),
    staging: z.string(),
    workDir: z.string(),
    rows: z.number().int(),
  }),
)

function loadPipeline(path: string): ValidPipeline {
  const raw: unknown = JSON.parse(readFileSync(path, 'utf8'))
  const validation = validatePipeline(raw, { parameters: input.parameters })
  if (!validation.ok) {
    throw new Error(
      `invalid pipeline ${path}: ${validation.errors.map((e) => e.message).join('; ')}`,
    )
  }
  return validation.pipeline
}

const pipeline = loadPipeline(input.pipeline)
const staging = await openStaging({ path: input.staging })
const options = { staging, baseDir: dirname(input.pipeline), workDir: input.workDir }

try {
  const prepared = await executePipeline(loadPipeline(input.prepare), { ...options, reuse: true })
  if (prepared.status !== 'succeeded') {
    throw new Error(
      `preparing run ${prepared.status}: ${prepared.errors.map((e) => e.message).join('; ')}`,
    )
  }
  const statuses = prepared.nodes.map((node) => `${node.nodeId} ${node.status}`).join(', ')
  await reportWork(async (step, note) => {
    note(`prepared in ${prepared.ms} ms: ${statuses}`)
    for (const node of pipeline.nodes) {
      const started = performance.now()
      const preview = await previewNode(pipeline, node.id, { ...options, rows: input.rows })
      step(node.id, performance.now() - started)
      note(`${node.id}: ${preview.rows.length} rows, engine says ${preview.ms} ms`)
    }
  })
} finally {
  staging.close()
}
