import type { ApiClient, ApiResponse, MethodName } from './api'
import { SluiceFailure } from './errors'

/** Sends one request over whatever carries it (a MessagePort, a WebSocket, a direct call). */
export type ApiTransport = (method: MethodName, params: unknown) => Promise<ApiResponse<unknown>>

/**
 * The caller's typed view of the service: `client['pipeline/get']({ id })`. A failed request
 * rejects with a `SluiceFailure` carrying the service's `SluiceError`, so callers handle one shape.
 */
export function createApiClient(send: ApiTransport): ApiClient {
  const call = async (method: MethodName, params: unknown): Promise<unknown> => {
    const response = await send(method, params)
    if (!response.ok) {
      throw new SluiceFailure(response.error)
    }
    return response.value
  }
  return new Proxy({} as ApiClient, {
    get: (_target, method) =>
      typeof method === 'string'
        ? (params: unknown) => call(method as MethodName, params)
        : undefined,
  })
}
