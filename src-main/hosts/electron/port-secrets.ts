import { z } from 'zod'
import {
  sluiceError,
  SluiceFailure,
  toSluiceError,
  type SluiceError,
} from '../../../src-shared/errors'
import type { MessageChannelLike } from '../../../src-shared/transport'
import type { SecretStore } from '../../service/secrets/secret-store'

/**
 * The secrets protocol between the engine's utility process (which asks) and the main process
 * (which alone may use Electron's safeStorage, and answers). It runs over a MessagePort of its own
 * that only those two processes hold; no window ever sees it.
 */
export type SecretQuestion =
  | { op: 'get'; ref: string }
  | { op: 'set'; ref: string; value: string }
  | { op: 'delete'; ref: string }

export type SecretRequest = SecretQuestion & { id: number }

export type SecretResponse =
  { id: number; ok: true; value?: string } | { id: number; ok: false; error: SluiceError }

const refSchema = z.string().min(1).max(200)

const secretRequestSchema = z.discriminatedUnion('op', [
  z.object({ id: z.number().int().nonnegative(), op: z.literal('get'), ref: refSchema }),
  z.object({
    id: z.number().int().nonnegative(),
    op: z.literal('set'),
    ref: refSchema,
    value: z.string().max(100_000),
  }),
  z.object({ id: z.number().int().nonnegative(), op: z.literal('delete'), ref: refSchema }),
])

const secretResponseSchema = z.union([
  z.object({ id: z.number(), ok: z.literal(true), value: z.string().optional() }),
  z.object({
    id: z.number(),
    ok: z.literal(false),
    error: z.object({ code: z.string(), message: z.string() }).loose(),
  }),
])

/** What the asking side knows about the store without a round trip. */
export interface PortSecretsInfo {
  description: string
  /**
   * How to supply a missing secret. The desktop store's hint does not depend on the reference,
   * so main sends it once instead of answering a synchronous question over a port.
   */
  hint: string
}

/**
 * Main's side: answers every request on `channel` from `store`. A failure travels back as a
 * SluiceError (errors are data across processes); a message that is not a request is dropped,
 * since without an id there is no one to answer.
 */
export function answerSecretRequests(
  channel: MessageChannelLike<SecretResponse, unknown>,
  store: SecretStore,
): void {
  channel.onMessage((raw) => {
    const parsed = secretRequestSchema.safeParse(raw)
    if (!parsed.success) {
      return
    }
    const request = parsed.data
    void perform(store, request).then(
      (value) =>
        channel.send(
          value === undefined ? { id: request.id, ok: true } : { id: request.id, ok: true, value },
        ),
      (thrown: unknown) =>
        channel.send({ id: request.id, ok: false, error: toSluiceError(thrown) }),
    )
  })
}

async function perform(store: SecretStore, request: SecretRequest): Promise<string | undefined> {
  switch (request.op) {
    case 'get':
      return store.get(request.ref)
    case 'set':
      await store.set(request.ref, request.value)
      return undefined
    case 'delete':
      await store.delete(request.ref)
      return undefined
  }
}

/** The asking side, with a way to fail what is still pending when the port closes. */
export interface PortSecretStore extends SecretStore {
  /** Rejects every unanswered request, e.g. because main closed the port. */
  failPending(reason: string): void
}

/**
 * The utility process's side: a SecretStore whose every call is a request to main. A failure
 * main reports is thrown again here as a SluiceFailure carrying the same error.
 */
export function createPortSecrets(
  channel: MessageChannelLike<SecretRequest, unknown>,
  info: PortSecretsInfo,
): PortSecretStore {
  let nextId = 1
  const pending = new Map<
    number,
    { resolve: (value: string | undefined) => void; reject: (error: SluiceFailure) => void }
  >()
  channel.onMessage((raw) => {
    const parsed = secretResponseSchema.safeParse(raw)
    if (!parsed.success) {
      return
    }
    const response = parsed.data
    const waiting = pending.get(response.id)
    pending.delete(response.id)
    if (response.ok) {
      waiting?.resolve(response.value)
    } else {
      waiting?.reject(new SluiceFailure(response.error as SluiceError))
    }
  })
  const ask = (question: SecretQuestion): Promise<string | undefined> =>
    new Promise((resolve, reject) => {
      const id = nextId
      nextId += 1
      pending.set(id, { resolve, reject })
      try {
        channel.send({ ...question, id })
      } catch (thrown) {
        pending.delete(id)
        reject(new SluiceFailure(toSluiceError(thrown)))
      }
    })
  return {
    description: info.description,
    hint: () => info.hint,
    get: (ref) => ask({ op: 'get', ref }),
    set: async (ref, value) => {
      await ask({ op: 'set', ref, value })
    },
    delete: async (ref) => {
      await ask({ op: 'delete', ref })
    },
    failPending: (reason) => {
      for (const waiting of pending.values()) {
        waiting.reject(new SluiceFailure(sluiceError('INTERNAL', { reason })))
      }
      pending.clear()
    },
  }
}
