import type { ApiClient } from '../../../src-shared/api'
import type { PipelineSummary } from '../../../src-shared/project'

/** A pipeline by id or by name (names are what people type). */
export async function findPipeline(client: ApiClient, nameOrId: string): Promise<PipelineSummary> {
  const pipelines = await client['pipeline/list']({})
  const found =
    pipelines.find((pipeline) => pipeline.id === nameOrId) ??
    pipelines.find((pipeline) => pipeline.name.toLowerCase() === nameOrId.toLowerCase())
  if (!found) {
    // The service's own error names the pipeline.
    await client['pipeline/get']({ id: nameOrId })
    throw new Error(`no pipeline "${nameOrId}"`)
  }
  return found
}
