import { randomUUID } from 'node:crypto'
import { SluiceFailure, sluiceError } from '../../src-shared/errors'
import type { Connection, ConnectionFields, ConnectionKind } from '../../src-shared/project'
import type { StoreDatabase } from './store-database'

interface ConnectionRow {
  id: string
  name: string
  kind: ConnectionKind
  host: string | null
  port: number | null
  database: string | null
  user: string | null
  options: string
  secret_ref: string | null
  created_at: string
  updated_at: string
}

/** Connections to databases, stored without secrets (only the secret's name). */
export class ConnectionRepository {
  constructor(private readonly store: StoreDatabase) {}

  list(): Connection[] {
    return this.store.read(() =>
      (
        this.store
          .statement('SELECT * FROM connections ORDER BY name COLLATE NOCASE')
          .all() as ConnectionRow[]
      ).map(toConnection),
    )
  }

  get(id: string): Connection {
    return this.store.read(() => {
      const row = this.store.statement('SELECT * FROM connections WHERE id = ?').get(id) as
        ConnectionRow | undefined
      if (!row) {
        throw new SluiceFailure(sluiceError('CONNECTION_NOT_FOUND', { connection: id }))
      }
      return toConnection(row)
    })
  }

  findByName(name: string): Connection | undefined {
    return this.store.read(() => {
      const row = this.store
        .statement('SELECT * FROM connections WHERE name = ? COLLATE NOCASE')
        .get(name.trim()) as ConnectionRow | undefined
      return row ? toConnection(row) : undefined
    })
  }

  /** A new connection; names are unique regardless of case. */
  create(fields: ConnectionFields): Connection {
    const id = randomUUID()
    const now = new Date().toISOString()
    this.store.write(() => {
      this.assertNameFree(fields.name.trim(), null)
      this.store
        .statement(
          `INSERT INTO connections (id, name, kind, host, port, database, user, options, secret_ref,
            created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(id, ...columns(fields), now, now)
    })
    return this.get(id)
  }

  /** Replaces every field of the connection. */
  update(id: string, fields: ConnectionFields): Connection {
    this.store.write(() => {
      this.get(id)
      this.assertNameFree(fields.name.trim(), id)
      this.store
        .statement(
          `UPDATE connections SET name = ?, kind = ?, host = ?, port = ?, database = ?, user = ?,
            options = ?, secret_ref = ?, updated_at = ? WHERE id = ?`,
        )
        .run(...columns(fields), new Date().toISOString(), id)
    })
    return this.get(id)
  }

  delete(id: string): void {
    this.store.write(() => {
      if (this.store.statement('DELETE FROM connections WHERE id = ?').run(id).changes === 0) {
        throw new SluiceFailure(sluiceError('CONNECTION_NOT_FOUND', { connection: id }))
      }
    })
  }

  private assertNameFree(name: string, exceptId: string | null): void {
    const row = this.store
      .statement('SELECT id FROM connections WHERE name = ? COLLATE NOCASE')
      .get(name) as { id: string } | undefined
    if (row && row.id !== exceptId) {
      throw new SluiceFailure(sluiceError('NAME_TAKEN', { what: 'connection', name }))
    }
  }
}

function columns(fields: ConnectionFields): Array<string | number | null> {
  return [
    fields.name.trim(),
    fields.kind,
    fields.host ?? null,
    fields.port ?? null,
    fields.database ?? null,
    fields.user ?? null,
    JSON.stringify(fields.options ?? {}),
    fields.secretRef ?? null,
  ]
}

function toConnection(row: ConnectionRow): Connection {
  const connection: Connection = {
    id: row.id,
    name: row.name,
    kind: row.kind,
    options: JSON.parse(row.options) as Connection['options'],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
  // Absent fields stay absent, as the fields schema leaves them, rather than becoming null.
  if (row.host !== null) {
    connection.host = row.host
  }
  if (row.port !== null) {
    connection.port = row.port
  }
  if (row.database !== null) {
    connection.database = row.database
  }
  if (row.user !== null) {
    connection.user = row.user
  }
  if (row.secret_ref !== null) {
    connection.secretRef = row.secret_ref
  }
  return connection
}
