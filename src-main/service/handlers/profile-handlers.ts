import type { ApiHandlers } from '../../../src-shared/api'
import { profileNode } from '../../engine'
import { loadRunnablePipeline } from '../load-pipeline'
import type { ServiceContext } from '../service-context'

type ProfileHandlers = Pick<ApiHandlers, 'preview/profile'>

/** Column profiles of a node's output, served like previews (the node need not have run). */
export function profileHandlers(context: ServiceContext): ProfileHandlers {
  return {
    'preview/profile': async ({ pipelineId, nodeId, port, parameters }) => {
      const { session } = context.project()
      // As for previews, only the node and its upstream must be valid.
      const loaded = loadRunnablePipeline(
        session.store,
        pipelineId,
        { untilNode: nodeId },
        parameters,
      )
      return session.withPipelineStaging(loaded.summary.id, (engine) =>
        profileNode(loaded.pipeline, nodeId, { ...engine, ...(port ? { port } : {}) }),
      )
    },
  }
}
