import { MessageChannel, type MessagePort } from 'node:worker_threads'
import type { MessagePortMain } from 'electron'
import { afterEach, describe, expect, it } from 'vitest'
import { sluiceError, SluiceFailure } from '../../../src-shared/errors'
import type { SecretStore } from '../../service'
import { channelFromPort, type MainPortLike } from './port-channel'
import {
  answerSecretRequests,
  createPortSecrets,
  type SecretRequest,
  type SecretResponse,
} from './port-secrets'

// Electron's own ports must fit, so service-host.ts and service-process.ts can pass them as they are.
const _electronFits = (real: MessagePortMain): MainPortLike => real

/** A Node worker_threads port dressed as a MessagePortMain (which wraps data in an event). */
function asMainPort(port: MessagePort): MainPortLike {
  return {
    on(event: 'message' | 'close', listener: (event: { data: unknown }) => void) {
      if (event === 'message') {
        port.on('message', (data: unknown) => listener({ data }))
      } else {
        port.on('close', () => (listener as () => void)())
      }
      return this
    },
    postMessage: (message) => port.postMessage(message),
    start: () => port.start(),
    close: () => port.close(),
  }
}

/** An in-memory store that fails like the safeStorage one where told to. */
function memorySecrets(fail: Partial<Record<'get' | 'set' | 'delete', unknown>> = {}): SecretStore {
  const values = new Map<string, string>()
  const check = (op: 'get' | 'set' | 'delete'): void => {
    if (op in fail) {
      throw fail[op]
    }
  }
  return {
    description: 'the system keyring',
    hint: () => "enter it in the connection's settings",
    get: async (ref) => {
      check('get')
      return values.get(ref)
    },
    set: async (ref, value) => {
      check('set')
      values.set(ref, value)
    },
    delete: async (ref) => {
      check('delete')
      values.delete(ref)
    },
  }
}

const opened: MessageChannel[] = []

afterEach(() => {
  for (const channel of opened.splice(0)) {
    channel.port1.close()
    channel.port2.close()
  }
})

/** The utility process's store, talking to `store` in "main" over a real port pair. */
function connect(store: SecretStore) {
  const channel = new MessageChannel()
  opened.push(channel)
  answerSecretRequests(channelFromPort<SecretResponse>(asMainPort(channel.port1)), store)
  return createPortSecrets(channelFromPort<SecretRequest>(asMainPort(channel.port2)), {
    description: store.description,
    hint: store.hint('X'),
  })
}

describe('secrets over a port', () => {
  it('saves, reads and deletes a secret in the main process store', async () => {
    const store = memorySecrets()
    const secrets = connect(store)

    await secrets.set('WAREHOUSE', 'hunter2 é')
    expect(await secrets.get('WAREHOUSE')).toBe('hunter2 é')
    expect(await store.get('WAREHOUSE')).toBe('hunter2 é')
    await secrets.delete('WAREHOUSE')
    expect(await secrets.get('WAREHOUSE')).toBeUndefined()
    expect(secrets.description).toBe('the system keyring')
    expect(secrets.hint('CRM')).toBe("enter it in the connection's settings")
  })

  it('answers concurrent requests each with its own value', async () => {
    const store = memorySecrets()
    await Promise.all(['A', 'B', 'C'].map((ref) => store.set(ref, `secret ${ref}`)))
    const secrets = connect(store)

    expect(await Promise.all(['C', 'A', 'missing', 'B'].map((ref) => secrets.get(ref)))).toEqual([
      'secret C',
      'secret A',
      undefined,
      'secret B',
    ])
  })

  it("carries main's SluiceError to the service unchanged", async () => {
    const insecure = sluiceError('SECRET_STORE_INSECURE', { reason: 'no keyring is available' })
    const secrets = connect(memorySecrets({ set: new SluiceFailure(insecure) }))

    const saving = secrets.set('WAREHOUSE', 'hunter2')
    await expect(saving).rejects.toBeInstanceOf(SluiceFailure)
    await expect(saving).rejects.toMatchObject({ error: insecure })
  })

  it('reports any other failure in main as an internal error, as data', async () => {
    const secrets = connect(memorySecrets({ get: new Error('disk on fire') }))

    await expect(secrets.get('WAREHOUSE')).rejects.toMatchObject({
      error: { code: 'INTERNAL', message: 'Sluice hit an internal error: disk on fire' },
    })
  })

  it('ignores malformed requests and answers the next good one', async () => {
    const channel = new MessageChannel()
    opened.push(channel)
    const store = memorySecrets()
    await store.set('CRM', 'pa55')
    answerSecretRequests(channelFromPort<SecretResponse>(asMainPort(channel.port1)), store)
    const answers: unknown[] = []
    channel.port2.on('message', (data: unknown) => answers.push(data))

    for (const bad of [null, 'get CRM', { id: 1, op: 'list' }, { id: 2, op: 'get', ref: '' }]) {
      channel.port2.postMessage(bad)
    }
    channel.port2.postMessage({ id: 3, op: 'get', ref: 'CRM' })
    await expect.poll(() => answers).toEqual([{ id: 3, ok: true, value: 'pa55' }])
  })

  it('fails pending requests when the port to main closes', async () => {
    const channel = new MessageChannel()
    opened.push(channel)
    const secrets = createPortSecrets(channelFromPort<SecretRequest>(asMainPort(channel.port2)), {
      description: 'the system keyring',
      hint: '',
    })

    const reading = secrets.get('WAREHOUSE')
    secrets.failPending('the main process closed the secrets port')
    await expect(reading).rejects.toMatchObject({
      error: { code: 'INTERNAL', message: expect.stringContaining('closed the secrets port') },
    })
  })
})
