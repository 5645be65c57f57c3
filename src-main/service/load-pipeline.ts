import { sluiceError, SluiceFailure } from '../../src-shared/errors'
import {
  pipelineUpTo,
  validatePipeline,
  type Pipeline,
  type ValidationResult,
  type ValidPipeline,
} from '../../src-shared/pipeline'
import type { PipelineSummary } from '../../src-shared/project'
import type { ProjectStore } from '../store'

/** Which document to load: a saved version, or the working copy; whole or up to one node. */
export interface DocumentChoice {
  version?: number | undefined
  /** Only this node and everything upstream of it ("run to the selected node"). */
  untilNode?: string | undefined
}

type Loaded = { summary: PipelineSummary; document: Pipeline; version: number | null }

/** A pipeline's document: a saved version when one is named, the working copy otherwise. */
export function loadDocument(
  store: ProjectStore,
  pipelineId: string,
  choice: DocumentChoice = {},
): Loaded {
  const detail = store.pipelines.get(pipelineId)
  const loaded: Loaded =
    choice.version === undefined
      ? // The working copy is a saved version when nothing changed since the last save.
        {
          summary: detail,
          document: detail.document,
          version: detail.unsaved ? null : detail.latestVersion,
        }
      : {
          summary: detail,
          document: store.pipelines.version(detail.id, choice.version).document,
          version: choice.version,
        }
  const { untilNode } = choice
  if (untilNode === undefined) {
    return loaded
  }
  if (!loaded.document.nodes.some((node) => node.id === untilNode)) {
    throw new SluiceFailure(
      sluiceError('NODE_NOT_FOUND', { pipeline: detail.name, node: untilNode }),
    )
  }
  return { ...loaded, document: pipelineUpTo(loaded.document, untilNode) }
}

/**
 * Validates a pipeline with the project's parameters under the caller's overrides (the document's
 * own values are the defaults beneath both).
 */
export function validateStored(
  store: ProjectStore,
  pipelineId: string,
  choice: DocumentChoice,
  overrides: Record<string, string>,
): Loaded & { validation: ValidationResult; parameters: Record<string, string> } {
  const loaded = loadDocument(store, pipelineId, choice)
  const parameters = { ...store.parameters.values(), ...overrides }
  return { ...loaded, parameters, validation: validatePipeline(loaded.document, { parameters }) }
}

/** A pipeline ready to run or preview; an invalid one fails with every problem in the detail. */
export function loadRunnablePipeline(
  store: ProjectStore,
  pipelineId: string,
  choice: DocumentChoice,
  overrides: Record<string, string>,
): Loaded & { pipeline: ValidPipeline; parameters: Record<string, string> } {
  const { validation, ...loaded } = validateStored(store, pipelineId, choice, overrides)
  if (!validation.ok) {
    const problems = validation.errors.map((error) => error.message).join('\n')
    const nodeId = validation.errors.find((error) => error.nodeId)?.nodeId
    throw new SluiceFailure(
      sluiceError('PIPELINE_INVALID', {}, { detail: problems, ...(nodeId ? { nodeId } : {}) }),
    )
  }
  return { ...loaded, pipeline: validation.pipeline }
}
