import { connectionOptionsSchema, sslModes, type SslMode } from '../../../src-shared/databases'
import type { Connection, ConnectionFields, ConnectionKind } from '../../../src-shared/project'

/**
 * What the connection form edits: every field as the person sees it (numbers as typed text).
 * The password is only ever sent through `connection/setSecret`, never in the fields.
 */
export interface ConnectionDraft {
  name: string
  kind: ConnectionKind
  host: string
  port: string
  /** PostgreSQL/MySQL: the database name. SQLite/DuckDB: the file. */
  database: string
  user: string
  sslMode: SslMode
  sslCaFile: string
  connectTimeoutSeconds: string
  /** Typed by the person; empty keeps the secret already stored. */
  password: string
}

/** The fields of the form that can be wrong, each with why. */
export type DraftProblem =
  'nameRequired' | 'nameTaken' | 'fileRequired' | 'hostRequired' | 'portInvalid' | 'timeoutInvalid'

export type DraftProblems = Partial<Record<keyof ConnectionDraft, DraftProblem>>

/** The port each server kind listens on unless told otherwise. */
export const defaultPorts: Readonly<Partial<Record<ConnectionKind, number>>> = {
  postgres: 5432,
  mysql: 3306,
}

const optionDefaults = connectionOptionsSchema.parse({})

/** SQLite and DuckDB connections are a file, with no server, user or TLS. */
export function isFileKind(kind: ConnectionKind): boolean {
  return kind === 'sqlite' || kind === 'duckdb'
}

/** An empty form for a new connection of `kind`. */
export function newDraft(kind: ConnectionKind = 'postgres'): ConnectionDraft {
  const port = defaultPorts[kind]
  return {
    name: '',
    kind,
    host: isFileKind(kind) ? '' : 'localhost',
    port: port === undefined ? '' : String(port),
    database: '',
    user: '',
    sslMode: optionDefaults.sslMode,
    sslCaFile: '',
    connectTimeoutSeconds: String(optionDefaults.connectTimeoutSeconds),
    password: '',
  }
}

/** The form of a stored connection; options it cannot read fall back to their defaults. */
export function draftOf(connection: Connection): ConnectionDraft {
  const options = connection.options
  const sslMode = sslModes.find((mode) => mode === options['sslMode']) ?? optionDefaults.sslMode
  const timeout = options['connectTimeoutSeconds']
  const port = connection.port ?? defaultPorts[connection.kind]
  return {
    name: connection.name,
    kind: connection.kind,
    host: connection.host ?? '',
    port: port === undefined ? '' : String(port),
    database: connection.database ?? '',
    user: connection.user ?? '',
    sslMode,
    sslCaFile: typeof options['sslCaFile'] === 'string' ? options['sslCaFile'] : '',
    connectTimeoutSeconds: String(
      typeof timeout === 'number' ? timeout : optionDefaults.connectTimeoutSeconds,
    ),
    password: '',
  }
}

/**
 * The form after choosing another kind: a port still at the old kind's default (or empty)
 * follows the new kind's default; anything the person typed stays.
 */
export function withKind(draft: ConnectionDraft, kind: ConnectionKind): ConnectionDraft {
  const oldDefault = defaultPorts[draft.kind]
  const portUntouched = draft.port === '' || draft.port === String(oldDefault)
  const newDefault = defaultPorts[kind]
  const next = { ...draft, kind }
  if (portUntouched) {
    next.port = newDefault === undefined ? '' : String(newDefault)
  }
  if (!isFileKind(kind) && isFileKind(draft.kind) && draft.host === '') {
    next.host = 'localhost'
  }
  return next
}

function wholeNumberIn(text: string, min: number, max: number): number | null {
  const trimmed = text.trim()
  if (!/^\d+$/.test(trimmed)) {
    return null
  }
  const value = Number(trimmed)
  return value >= min && value <= max ? value : null
}

/** What is wrong with the form before it is sent, by field; empty when it can be saved. */
export function draftProblems(
  draft: ConnectionDraft,
  others: readonly Connection[],
  editingId?: string,
): DraftProblems {
  const problems: DraftProblems = {}
  const name = draft.name.trim()
  if (name === '') {
    problems.name = 'nameRequired'
  } else if (
    others.some(
      (other) => other.id !== editingId && other.name.toLowerCase() === name.toLowerCase(),
    )
  ) {
    problems.name = 'nameTaken'
  }
  if (isFileKind(draft.kind)) {
    if (draft.database.trim() === '') {
      problems.database = 'fileRequired'
    }
    return problems
  }
  if (draft.host.trim() === '') {
    problems.host = 'hostRequired'
  }
  if (draft.port.trim() !== '' && wholeNumberIn(draft.port, 1, 65535) === null) {
    problems.port = 'portInvalid'
  }
  if (wholeNumberIn(draft.connectTimeoutSeconds, 1, 600) === null) {
    problems.connectTimeoutSeconds = 'timeoutInvalid'
  }
  return problems
}

/**
 * The fields `connection/create` or `connection/update` takes. Empty texts are left out; the
 * stored connection's secret name and any options this form does not edit are kept. The
 * password is never among them.
 */
export function fieldsOf(draft: ConnectionDraft, existing?: Connection): ConnectionFields {
  const kept = existing?.secretRef ? { secretRef: existing.secretRef } : {}
  const {
    sslMode: _mode,
    sslCaFile: _ca,
    connectTimeoutSeconds: _timeout,
    ...otherOptions
  } = existing?.options ?? {}
  const base = { name: draft.name.trim(), kind: draft.kind, ...kept }
  const database = draft.database.trim()
  if (isFileKind(draft.kind)) {
    return { ...base, ...(database ? { database } : {}), options: otherOptions }
  }
  const host = draft.host.trim()
  const user = draft.user.trim()
  const port = wholeNumberIn(draft.port, 1, 65535)
  const timeout = wholeNumberIn(draft.connectTimeoutSeconds, 1, 600)
  const caFile = draft.sslCaFile.trim()
  return {
    ...base,
    ...(host ? { host } : {}),
    ...(port !== null ? { port } : {}),
    ...(database ? { database } : {}),
    ...(user ? { user } : {}),
    options: {
      ...otherOptions,
      sslMode: draft.sslMode,
      ...(caFile ? { sslCaFile: caFile } : {}),
      connectTimeoutSeconds: timeout ?? optionDefaults.connectTimeoutSeconds,
    },
  }
}

/** The extensions offered when choosing the file of a file connection. */
export function fileExtensions(kind: ConnectionKind): string[] {
  return kind === 'duckdb' ? ['duckdb', 'db'] : ['sqlite', 'sqlite3', 'db']
}
