import {
  apiMethods,
  isMethodName,
  type ApiHandlers,
  type ApiResponse,
  type MethodName,
} from '../../src-shared/api'
import { sluiceError, toSluiceError } from '../../src-shared/errors'

/**
 * Answers one request from any transport: the method name and its parameters are checked against
 * the contract before a handler runs, and whatever goes wrong comes back as a `SluiceError` with
 * a code. Nothing a caller sends can crash the service.
 */
export async function dispatchRequest(
  handlers: ApiHandlers,
  method: unknown,
  params: unknown,
): Promise<ApiResponse<unknown>> {
  if (!isMethodName(method)) {
    const name = typeof method === 'string' ? method.slice(0, 100) : typeof method
    return { ok: false, error: sluiceError('UNKNOWN_METHOD', { method: name }) }
  }
  const checked = apiMethods[method].params.safeParse(params ?? {})
  if (!checked.success) {
    const reason = checked.error.issues
      .map((issue) => `${issue.path.join('.') || 'request'}: ${issue.message}`)
      .join('; ')
    // The request itself is not echoed back: it may carry a secret (connection/setSecret).
    return { ok: false, error: sluiceError('BAD_REQUEST', { method, reason }) }
  }
  try {
    const handler = handlers[method] as (params: unknown) => Promise<unknown>
    return { ok: true, value: await handler(checked.data) }
  } catch (thrown) {
    return { ok: false, error: toSluiceError(thrown) }
  }
}

/** The method names a handler map must cover, for tests that check nothing is missing. */
export function declaredMethods(): MethodName[] {
  return Object.keys(apiMethods) as MethodName[]
}
