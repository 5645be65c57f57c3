import type { ApiClient } from '../../../src-shared/api'
import type { BrowseEntry } from '../../../src-shared/databases'
import type { Connection, ConnectionFields } from '../../../src-shared/project'
import type { CliIo } from './main'
import type { ProjectCommand } from './project-commands'
import { formatTable } from './table'

export const connectionUsage = `  sluice connections <project.sluice>
  sluice add-connection <project.sluice> --name N --kind postgres|mysql|sqlite|duckdb
         [--host H] [--port P] [--database D] [--user U] [--secret-ref REF]
         [--ssl-mode disable|prefer|require|verify-ca|verify-full] [--ssl-ca file.pem]
  sluice test-connection <project.sluice> <connection>
  sluice browse <project.sluice> <connection> [schema [table]]`

/** The connection fields given on the command line (`add-connection`). */
export interface ConnectionArguments {
  kind?: string
  host?: string
  port?: number
  database?: string
  user?: string
  secretRef?: string
  sslMode?: string
  sslCa?: string
}

/** A connection by name or id, as people type it. */
async function findConnection(client: ApiClient, nameOrId: string): Promise<Connection> {
  const connections = await client['connection/list']({})
  const found =
    connections.find((connection) => connection.id === nameOrId) ??
    connections.find((connection) => connection.name.toLowerCase() === nameOrId.toLowerCase())
  if (!found) {
    const names = connections.map((connection) => connection.name).join(', ') || 'none yet'
    throw new Error(`This project has no connection "${nameOrId}" (connections: ${names}).`)
  }
  return found
}

function needs(what: string, value: string | undefined, io: CliIo): value is string {
  if (value === undefined) {
    io.stderr.write(`This command needs ${what}.\nUsage:\n${connectionUsage}\n`)
  }
  return value !== undefined
}

/**
 * Connections from a terminal: list, add (the password comes from SLUICE_SECRET_<REF>, never a
 * command line), test with the same plain-language failures the app shows, and browse.
 */
export const connectionCommands: Record<string, ProjectCommand> = {
  connections: async ({ client }, _args, options, io) => {
    const connections = await client['connection/list']({})
    if (options.json) {
      io.stdout.write(`${JSON.stringify(connections, null, 2)}\n`)
      return 0
    }
    io.stdout.write(
      `${formatTable(
        ['connection', 'kind', 'where', 'user', 'secret'],
        connections.map((connection) => [
          connection.name,
          connection.kind,
          connection.host
            ? `${connection.host}:${connection.port ?? ''}/${connection.database ?? ''}`
            : (connection.database ?? ''),
          connection.user ?? '',
          connection.secretRef ? `SLUICE_SECRET_${connection.secretRef}` : '',
        ]),
      )}\n`,
    )
    return 0
  },
  'add-connection': async ({ client }, _args, options, io) => {
    const given = options.connection
    if (!options.name || !given.kind) {
      io.stderr.write(`add-connection needs --name and --kind.\nUsage:\n${connectionUsage}\n`)
      return 2
    }
    const fields = {
      name: options.name,
      kind: given.kind,
      ...(given.host ? { host: given.host } : {}),
      ...(given.port ? { port: given.port } : {}),
      ...(given.database ? { database: given.database } : {}),
      ...(given.user ? { user: given.user } : {}),
      ...(given.secretRef ? { secretRef: given.secretRef } : {}),
      options: {
        ...(given.sslMode ? { sslMode: given.sslMode } : {}),
        ...(given.sslCa ? { sslCaFile: given.sslCa } : {}),
      },
    } as ConnectionFields
    const created = await client['connection/create'](fields)
    const secret = created.secretRef
      ? ` Its password is read from SLUICE_SECRET_${created.secretRef}.`
      : ''
    io.stdout.write(`Added connection "${created.name}" (${created.kind}).${secret}\n`)
    return 0
  },
  'test-connection': async ({ client }, [name], _options, io) => {
    if (!needs('a connection name', name, io)) {
      return 2
    }
    const connection = await findConnection(client, name)
    const result = await client['connection/test']({ id: connection.id })
    io.stdout.write(
      `Connected to "${connection.name}": ${result.serverVersion} (${result.ms} ms).\n`,
    )
    return 0
  },
  browse: async ({ client }, [name, schema, table], options, io) => {
    if (!needs('a connection name', name, io)) {
      return 2
    }
    const connection = await findConnection(client, name)
    const entries = await client['connection/browse']({
      id: connection.id,
      ...(schema !== undefined ? { schema } : {}),
      ...(table !== undefined ? { table } : {}),
    })
    io.stdout.write(
      options.json ? `${JSON.stringify(entries, null, 2)}\n` : `${formatEntries(entries)}\n`,
    )
    return 0
  },
}

function formatEntries(entries: BrowseEntry[]): string {
  if (entries.length === 0) {
    return '(nothing here)'
  }
  const first = entries[0] as BrowseEntry
  if (first.type === 'schema') {
    return formatTable(
      ['schema'],
      entries.map((entry) => [entry.name]),
    )
  }
  if (first.type === 'table') {
    return formatTable(
      ['table', 'type', 'rows (estimated)'],
      entries.flatMap((entry) =>
        entry.type === 'table'
          ? [
              [
                entry.name,
                entry.view ? 'view' : 'table',
                entry.estimatedRows === null ? '?' : entry.estimatedRows.toLocaleString('en'),
              ],
            ]
          : [],
      ),
    )
  }
  return formatTable(
    ['column', 'server type', 'staged as', 'null', 'key'],
    entries.flatMap((entry) =>
      entry.type === 'column'
        ? [
            [
              entry.name,
              entry.serverType,
              entry.duckdbType,
              entry.nullable ? 'yes' : 'no',
              entry.primaryKey ? 'yes' : '',
            ],
          ]
        : [],
    ),
  )
}
