import type { ApiHandlers } from '../../../src-shared/api'
import { driverFor } from '../../engine/connectors/database/drivers'
import type { ProjectStore } from '../../store'
import { connectionResolver } from '../connection-resolver'
import { secretRefFor } from '../secrets/secret-store'
import type { ServiceContext } from '../service-context'

type SettingHandlers = Pick<
  ApiHandlers,
  | 'connection/list'
  | 'connection/create'
  | 'connection/update'
  | 'connection/delete'
  | 'connection/setSecret'
  | 'connection/test'
  | 'connection/browse'
  | 'parameter/list'
  | 'parameter/set'
  | 'parameter/delete'
  | 'schedule/list'
  | 'schedule/create'
  | 'schedule/delete'
>

/**
 * Connections, parameters and schedules. A connection's secret goes to the secret store; the
 * project keeps only the secret's name.
 */
export function connectionHandlers(context: ServiceContext): SettingHandlers {
  const store = (): ProjectStore => context.project().session.store
  const { secrets } = context.options
  const resolve = (id: string) => {
    const { session } = context.project()
    return connectionResolver(session.store, secrets, session.baseDir)(id)
  }
  return {
    'connection/list': async () => store().connections.list(),
    // A server connection gets its secret's name at once, so the UI can say which environment
    // variable holds the password (web host, CLI) before any secret is set, and a rename keeps it.
    'connection/create': async (fields) =>
      store().connections.create(
        fields.secretRef || fields.kind === 'sqlite' || fields.kind === 'duckdb'
          ? fields
          : { ...fields, secretRef: uniqueSecretRef(store(), secretRefFor(fields.name)) },
      ),
    'connection/update': async ({ id, fields }) => store().connections.update(id, fields),
    'connection/delete': async ({ id }) => {
      store().connections.delete(id)
      return null
    },
    'connection/setSecret': async ({ id, secret }) => {
      const connection = store().connections.get(id)
      const secretRef = connection.secretRef ?? secretRefFor(connection.name)
      // The secret is stored before the reference, so a refused store leaves the project as it was.
      await secrets.set(secretRef, secret)
      if (connection.secretRef !== secretRef) {
        const { id: _id, createdAt: _created, updatedAt: _updated, ...fields } = connection
        store().connections.update(id, { ...fields, secretRef })
      }
      return { secretRef, store: secrets.description }
    },
    'connection/test': async ({ id }) => {
      const connection = await resolve(id)
      return driverFor(connection.kind).test(connection)
    },
    'connection/browse': async ({ id, schema, table }) => {
      const connection = await resolve(id)
      return driverFor(connection.kind).browse(connection, {
        ...(schema !== undefined ? { schema } : {}),
        ...(table !== undefined ? { table } : {}),
      })
    },
    'parameter/list': async () => store().parameters.list(),
    'parameter/set': async (parameter) => store().parameters.set(parameter),
    'parameter/delete': async ({ name }) => {
      store().parameters.delete(name)
      return null
    },
    'schedule/list': async () => store().schedules.list(),
    'schedule/create': async (input) => {
      store().pipelines.get(input.pipelineId)
      return store().schedules.create(input)
    },
    'schedule/delete': async ({ id }) => {
      store().schedules.delete(id)
      return null
    },
  }
}

/** `ref`, or `ref_2`, `ref_3`... when another connection already uses it. */
function uniqueSecretRef(store: ProjectStore, ref: string): string {
  const taken = new Set(store.connections.list().map((connection) => connection.secretRef))
  let candidate = ref
  for (let suffix = 2; taken.has(candidate); suffix += 1) {
    candidate = `${ref.slice(0, 95)}_${suffix}`
  }
  return candidate
}
