import type { ApiClient } from '../../../src-shared/api'
import type { SluiceHost } from './host'

let current: SluiceHost | undefined

/** Set once at start by main.ts, before any store is used. */
export function setCurrentHost(host: SluiceHost): void {
  current = host
}

/** The host, for stores (components use `useHost()`). */
export function currentHost(): SluiceHost {
  if (!current) {
    throw new Error('the Sluice host is not connected yet')
  }
  return current
}

/** The typed API client of the current host. */
export function api(): ApiClient {
  return currentHost().api.client
}
