import { z } from 'zod'
import type { ApiEvent, ApiResponse, MethodName } from './api'
import { createApiClient } from './api-client'
import type { ApiClient } from './api'
import { sluiceError } from './errors'

/**
 * The wire protocol between a UI and the service over any message channel (an Electron
 * MessagePort, a WebSocket): requests carry an id, responses answer it, events flow one way.
 */
export type ServiceMessage =
  | { kind: 'response'; id: number; response: ApiResponse<unknown> }
  | { kind: 'event'; event: ApiEvent }

export type ClientMessage = { kind: 'request'; id: number; method: string; params: unknown }

/** What a server accepts from the other side, which it never trusts. */
export const clientMessageSchema = z.object({
  kind: z.literal('request'),
  id: z.number().int().nonnegative(),
  method: z.string().max(200),
  params: z.unknown(),
})

/** A two-way channel of plain JSON-able messages. */
export interface MessageChannelLike<Outgoing, Incoming> {
  send(message: Outgoing): void
  /** Registers the one handler for incoming messages. */
  onMessage(handler: (message: Incoming) => void): void
}

/** The UI side of a channel: a typed client and the service's events. */
export interface ApiConnection {
  client: ApiClient
  subscribe(listener: (event: ApiEvent) => void): () => void
}

/**
 * Connects to the service over a channel. A request whose channel closes or that is never
 * answered stays pending; the host decides when a channel is dead and says so to the user.
 */
export function connectApiChannel(
  channel: MessageChannelLike<ClientMessage, ServiceMessage>,
): ApiConnection {
  let nextId = 1
  const pending = new Map<number, (response: ApiResponse<unknown>) => void>()
  const listeners = new Set<(event: ApiEvent) => void>()
  channel.onMessage((message) => {
    if (message.kind === 'event') {
      for (const listener of listeners) {
        listener(message.event)
      }
      return
    }
    const resolve = pending.get(message.id)
    pending.delete(message.id)
    resolve?.(message.response)
  })
  const send = (method: MethodName, params: unknown): Promise<ApiResponse<unknown>> =>
    new Promise((resolve) => {
      const id = nextId
      nextId += 1
      pending.set(id, resolve)
      try {
        channel.send({ kind: 'request', id, method, params })
      } catch (thrown) {
        pending.delete(id)
        const reason = thrown instanceof Error ? thrown.message : String(thrown)
        resolve({ ok: false, error: sluiceError('SERVICE_UNREACHABLE', { reason }) })
      }
    })
  return {
    client: createApiClient(send),
    subscribe: (listener) => {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
  }
}
