import type { ApiClient, ApiEvent, ApiHandlers, ApiResponse } from '../../src-shared/api'
import { createApiClient } from '../../src-shared/api-client'
import { sluiceError, SluiceFailure } from '../../src-shared/errors'
import { dispatchRequest } from './dispatch'
import { connectionHandlers } from './handlers/connection-handlers'
import { fileHandlers } from './handlers/file-handlers'
import { pipelineHandlers } from './handlers/pipeline-handlers'
import { qualityHandlers } from './handlers/quality-handlers'
import { profileHandlers } from './handlers/profile-handlers'
import { projectHandlers } from './handlers/project-handlers'
import { runHandlers } from './handlers/run-handlers'
import type { ProjectSession } from './project-session'
import { RunManager } from './run-manager'
import type { OpenProject, ServiceContext, ServiceOptions } from './service-context'

/** The engine service: the Sluice API on the project store and the engine, with no transport. */
export interface SluiceService {
  /** Answers one request from a transport; never throws. */
  request(method: unknown, params: unknown): Promise<ApiResponse<unknown>>
  /** A typed client for callers in the same process (the CLI, tests). */
  client: ApiClient
  /** Run progress, node status and log lines, for every listener. Returns an unsubscribe. */
  subscribe(listener: (event: ApiEvent) => void): () => void
  /** Cancels runs and closes the open project. */
  close(): Promise<void>
}

/** Creates the service a host (desktop utility process, web host, CLI) serves. */
export function createSluiceService(options: ServiceOptions): SluiceService {
  const listeners = new Set<(event: ApiEvent) => void>()
  let open: OpenProject | undefined
  const emit = (event: ApiEvent): void => {
    for (const listener of listeners) {
      listener(event)
    }
  }
  const context: ServiceContext = {
    options,
    emit,
    project: () => {
      if (!open) {
        throw new SluiceFailure(sluiceError('NO_PROJECT_OPEN'))
      }
      return open
    },
    openProjectFolder: () => open?.session.baseDir,
    replaceProject: async (session: ProjectSession | undefined) => {
      const previous = open
      open = undefined
      if (previous) {
        await previous.runs.cancelAll()
        await previous.session.close()
      }
      if (session) {
        open = {
          session,
          runs: new RunManager(session, options.secrets, emit, options.parallelism),
        }
      }
    },
  }
  const handlers: ApiHandlers = {
    ...projectHandlers(context),
    ...pipelineHandlers(context),
    ...connectionHandlers(context),
    ...runHandlers(context),
    ...profileHandlers(context),
    ...qualityHandlers(context),
    ...fileHandlers(context),
  }
  const request = (method: unknown, params: unknown): Promise<ApiResponse<unknown>> =>
    dispatchRequest(handlers, method, params)
  return {
    request,
    client: createApiClient(request),
    subscribe: (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    close: () => context.replaceProject(undefined),
  }
}
