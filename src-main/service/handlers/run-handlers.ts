import type { ApiHandlers } from '../../../src-shared/api'
import { previewNode } from '../../engine'
import { loadRunnablePipeline } from '../load-pipeline'
import type { ServiceContext } from '../service-context'

type RunHandlers = Pick<
  ApiHandlers,
  'run/start' | 'run/cancel' | 'run/wait' | 'run/list' | 'run/get' | 'run/logs' | 'preview/node'
>

/** Runs (start, cancel, history, logs) and node previews. */
export function runHandlers(context: ServiceContext): RunHandlers {
  return {
    'run/start': async (params) => context.project().runs.start(params),
    'run/cancel': async ({ runId }) => ({ cancelled: context.project().runs.cancel(runId) }),
    'run/wait': async ({ runId }) => context.project().runs.wait(runId),
    'run/list': async ({ pipelineId, limit, before }) =>
      context.project().session.store.runs.list({
        limit,
        ...(pipelineId ? { pipelineId } : {}),
        ...(before ? { before } : {}),
      }),
    'run/get': async ({ runId }) => context.project().session.store.runs.get(runId),
    'run/logs': async ({ runId, afterSeq }) =>
      context.project().session.store.runs.logs(runId, afterSeq),
    'preview/node': async ({ pipelineId, nodeId, rows, port, parameters }) => {
      const { session } = context.project()
      // Only the node and its upstream must be valid: a half-built branch elsewhere on the
      // canvas does not stop a preview (nor the column suggestions that come from it).
      const loaded = loadRunnablePipeline(
        session.store,
        pipelineId,
        { untilNode: nodeId },
        parameters,
      )
      return session.withPipelineStaging(loaded.summary.id, (engine) =>
        previewNode(loaded.pipeline, nodeId, { ...engine, rows, ...(port ? { port } : {}) }),
      )
    },
  }
}
