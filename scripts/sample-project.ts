import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { ApiClient } from '../src-shared/api'
import type { PipelineDetail } from '../src-shared/project'

/** The sample pipeline shipped with Sluice. */
export const samplePipelinePath = resolve(
  import.meta.dirname,
  '../resources/samples/orders/pipeline.json',
)

/**
 * Fills the open project with the sample: the orders pipeline as version 1, and the project
 * parameters saying where its input files are and where its results go (relative to the project
 * file's folder, so the project can be moved with its data).
 */
export async function addSamplePipeline(
  client: ApiClient,
  folders: { data: string; output: string },
): Promise<PipelineDetail> {
  const json = await readFile(samplePipelinePath, 'utf8')
  const pipeline = await client['pipeline/import']({ json })
  await client['pipeline/update']({ id: pipeline.id, tags: ['sample'] })
  await client['parameter/set']({
    name: 'data',
    value: folders.data,
    description: 'Folder holding orders.csv, customers.csv and leads.csv',
  })
  await client['parameter/set']({
    name: 'output',
    value: folders.output,
    description: 'Folder the cleaned files and lead lists are written to',
  })
  return client['pipeline/get']({ id: pipeline.id })
}
