import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { BrowseEntry, BrowsePath, ConnectionTestResult } from '../../../src-shared/databases'
import type { SluiceError } from '../../../src-shared/errors'
import { SluiceFailure, sluiceError } from '../../../src-shared/errors'
import type { Connection } from '../../../src-shared/project'
import { fieldsOf, type ConnectionDraft } from '../connections/connection-form'
import { api } from '../host/current-host'

/** What saving a connection did with the password typed into the form. */
export type SecretOutcome =
  | { status: 'unchanged' }
  | { status: 'saved'; store: string }
  /** The fields were saved; the secret was refused (a read-only store says which variable). */
  | { status: 'refused'; error: SluiceError }

/** What `Test connection` answered: the server's version and time, or why it failed. */
export type TestOutcome =
  { ok: true; result: ConnectionTestResult } | { ok: false; error: SluiceError }

/** The service's error in a failure, or one standing in for an unexpected throw. */
export function errorOf(thrown: unknown): SluiceError {
  if (thrown instanceof SluiceFailure) {
    return thrown.error
  }
  const reason = thrown instanceof Error ? thrown.message : String(thrown)
  return sluiceError('INTERNAL', { reason })
}

/**
 * The open project's database connections: the list the node forms choose from, and saving,
 * deleting, testing and browsing them. Also whether the connections manager is open, so a node's
 * form can open it.
 */
export const useConnectionStore = defineStore('connections', () => {
  const list = ref<Connection[]>([])
  const managerOpen = ref(false)
  /** The connection the manager shows first when opened from elsewhere. */
  const managerSelection = ref<string | null>(null)

  async function refresh(): Promise<void> {
    list.value = await api()['connection/list']({})
  }

  function clear(): void {
    list.value = []
    managerOpen.value = false
  }

  /**
   * Creates or updates a connection from the form, then hands a typed password to the secret
   * store. The fields are kept even when the secret store refuses the password.
   */
  async function save(
    draft: ConnectionDraft,
    existing?: Connection,
  ): Promise<{ connection: Connection; secret: SecretOutcome }> {
    const fields = fieldsOf(draft, existing)
    let connection = existing
      ? await api()['connection/update']({ id: existing.id, fields })
      : await api()['connection/create'](fields)
    let secret: SecretOutcome = { status: 'unchanged' }
    if (draft.password !== '') {
      try {
        const stored = await api()['connection/setSecret']({
          id: connection.id,
          secret: draft.password,
        })
        secret = { status: 'saved', store: stored.store }
      } catch (thrown) {
        secret = { status: 'refused', error: errorOf(thrown) }
      }
    }
    await refresh()
    connection = list.value.find((candidate) => candidate.id === connection.id) ?? connection
    return { connection, secret }
  }

  async function remove(id: string): Promise<void> {
    await api()['connection/delete']({ id })
    await refresh()
  }

  async function test(id: string): Promise<TestOutcome> {
    try {
      return { ok: true, result: await api()['connection/test']({ id }) }
    } catch (thrown) {
      return { ok: false, error: errorOf(thrown) }
    }
  }

  function browse(id: string, path: BrowsePath): Promise<BrowseEntry[]> {
    return api()['connection/browse']({ id, ...path })
  }

  function byId(id: string): Connection | undefined {
    return list.value.find((connection) => connection.id === id)
  }

  function openManager(connectionId: string | null = null): void {
    managerSelection.value = connectionId
    managerOpen.value = true
  }

  return {
    list,
    managerOpen,
    managerSelection,
    refresh,
    clear,
    save,
    remove,
    test,
    browse,
    byId,
    openManager,
  }
})
