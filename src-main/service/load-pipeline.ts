import { sluiceError, SluiceFailure } from '../../src-shared/errors'
import { validatePipeline, type Pipeline, type ValidPipeline } from '../../src-shared/pipeline'
import type { PipelineSummary } from '../../src-shared/project'
import type { ValidationResult } from '../../src-shared/pipeline'
import type { ProjectStore } from '../store'

/** A pipeline's document: a saved version when one is named, the working copy otherwise. */
export function loadDocument(
  store: ProjectStore,
  pipelineId: string,
  version: number | undefined,
): { summary: PipelineSummary; document: Pipeline; version: number | null } {
  const detail = store.pipelines.get(pipelineId)
  if (version !== undefined) {
    return {
      summary: detail,
      document: store.pipelines.version(detail.id, version).document,
      version,
    }
  }
  // The working copy is a saved version when nothing changed since the last save.
  return {
    summary: detail,
    document: detail.document,
    version: detail.unsaved ? null : detail.latestVersion,
  }
}

/**
 * Validates a pipeline with the project's parameters under the caller's overrides (the document's
 * own values are the defaults beneath both).
 */
export function validateStored(
  store: ProjectStore,
  pipelineId: string,
  version: number | undefined,
  overrides: Record<string, string>,
): ReturnType<typeof loadDocument> & {
  validation: ValidationResult
  parameters: Record<string, string>
} {
  const loaded = loadDocument(store, pipelineId, version)
  const parameters = { ...store.parameters.values(), ...overrides }
  return { ...loaded, parameters, validation: validatePipeline(loaded.document, { parameters }) }
}

/** A pipeline ready to run or preview; an invalid one fails with every problem in the detail. */
export function loadRunnablePipeline(
  store: ProjectStore,
  pipelineId: string,
  version: number | undefined,
  overrides: Record<string, string>,
): ReturnType<typeof loadDocument> & {
  pipeline: ValidPipeline
  parameters: Record<string, string>
} {
  const { validation, ...loaded } = validateStored(store, pipelineId, version, overrides)
  if (!validation.ok) {
    const problems = validation.errors.map((error) => error.message).join('\n')
    throw new SluiceFailure(
      sluiceError('PIPELINE_INVALID', {}, { detail: problems, ...firstNode(validation.errors) }),
    )
  }
  return { ...loaded, pipeline: validation.pipeline }
}

function firstNode(errors: ReadonlyArray<{ nodeId?: string }>): { nodeId?: string } {
  const nodeId = errors.find((error) => error.nodeId)?.nodeId
  return nodeId ? { nodeId } : {}
}
