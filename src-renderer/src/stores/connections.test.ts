import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import type { ApiClient } from '../../../src-shared/api'
import { SluiceFailure, sluiceError } from '../../../src-shared/errors'
import type { Connection, ConnectionFields } from '../../../src-shared/project'
import { newDraft } from '../connections/connection-form'
import type { SluiceHost } from '../host/host'
import { setCurrentHost } from '../host/current-host'
import { useConnectionStore } from './connections'

/** A service that keeps connections in memory and, like the web host, refuses secrets. */
function fakeService() {
  const connections: Connection[] = []
  const calls: Array<{ method: string; params: unknown }> = []
  const stamp = '2026-01-01T00:00:00Z'
  const client: Partial<ApiClient> = {
    'connection/list': async () => connections.map((connection) => ({ ...connection })),
    'connection/create': async (fields) => {
      calls.push({ method: 'connection/create', params: fields })
      const created = {
        ...(fields as ConnectionFields),
        options: fields.options ?? {},
        id: `c${connections.length + 1}`,
        createdAt: stamp,
        updatedAt: stamp,
      }
      connections.push(created)
      return created
    },
    'connection/setSecret': async (params) => {
      calls.push({ method: 'connection/setSecret', params })
      throw new SluiceFailure(
        sluiceError('SECRET_STORE_READ_ONLY', { variable: 'SLUICE_SECRET_WAREHOUSE' }),
      )
    },
    'connection/test': async () => {
      throw new SluiceFailure(sluiceError('CONNECTION_REFUSED', { host: 'db', port: 5432 }))
    },
  }
  const host = {
    kind: 'web',
    api: { client: client as ApiClient, subscribe: () => () => undefined },
  } as unknown as SluiceHost
  return { host, calls, connections }
}

describe('the connections store', () => {
  let service: ReturnType<typeof fakeService>
  beforeEach(() => {
    setActivePinia(createPinia())
    service = fakeService()
    setCurrentHost(service.host)
  })

  it('saves the fields without the password, then hands the password to the secret store', async () => {
    const store = useConnectionStore()
    const draft = { ...newDraft('postgres'), name: 'Warehouse', password: 's3cret' }
    const { connection, secret } = await store.save(draft)

    expect(connection.name).toBe('Warehouse')
    expect(store.list.map((listed) => listed.name)).toEqual(['Warehouse'])
    const [create, setSecret] = service.calls
    expect(create?.method).toBe('connection/create')
    expect(JSON.stringify(create?.params)).not.toContain('s3cret')
    expect(setSecret).toEqual({
      method: 'connection/setSecret',
      params: { id: 'c1', secret: 's3cret' },
    })
    // The web host's store is read-only: the connection is kept, the refusal says what to do.
    expect(secret).toMatchObject({
      status: 'refused',
      error: { code: 'SECRET_STORE_READ_ONLY', params: { variable: 'SLUICE_SECRET_WAREHOUSE' } },
    })
  })

  it('leaves the secret alone when no password was typed', async () => {
    const store = useConnectionStore()
    const { secret } = await store.save({ ...newDraft('sqlite'), name: 'Shop', database: '/a.db' })
    expect(secret).toEqual({ status: 'unchanged' })
    expect(service.calls.map((call) => call.method)).toEqual(['connection/create'])
  })

  it('answers a failed test with the service’s error, as data', async () => {
    const store = useConnectionStore()
    expect(await store.test('c1')).toMatchObject({
      ok: false,
      error: { code: 'CONNECTION_REFUSED' },
    })
  })
})
