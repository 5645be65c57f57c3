import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeWithServer } from '../database/test-servers'
import { postgresDriver } from './index'
import { failureOf, resolvedConnection, serverQuery } from './integration-fixtures'

describeWithServer('postgres', 'PostgreSQL connection test and browse', (server) => {
  const connection = (overrides = {}) => resolvedConnection(server, overrides)
  let otherCa = ''
  let scratch = ''

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'sluice-pg-ca-'))
    otherCa = join(scratch, 'other-ca.pem')
    execFileSync(
      'openssl',
      [
        'req',
        '-new',
        '-x509',
        '-days',
        '1',
        '-nodes',
        '-subj',
        '/CN=Someone Else',
        '-keyout',
        join(scratch, 'other.key'),
        '-out',
        otherCa,
      ],
      { stdio: 'pipe' },
    )
    await serverQuery(
      server,
      `DROP SCHEMA IF EXISTS browse_demo CASCADE;
       CREATE SCHEMA browse_demo;
       CREATE TYPE browse_demo.mood AS ENUM ('sad', 'happy');
       CREATE TABLE browse_demo.orders (
         id bigint PRIMARY KEY, amount numeric(12,2) NOT NULL, note varchar(40), mood browse_demo.mood,
         placed timestamptz, tags text[]);
       INSERT INTO browse_demo.orders SELECT g, g, 'n', 'sad', now(), ARRAY['a'] FROM generate_series(1, 500) g;
       ANALYZE browse_demo.orders;
       CREATE TABLE browse_demo.fresh (id int);
       CREATE VIEW browse_demo.big_orders AS SELECT * FROM browse_demo.orders WHERE amount > 100;`,
    )
  })
  afterAll(() => rmSync(scratch, { recursive: true, force: true }))

  it('reports the server version and how long it took', async () => {
    const result = await postgresDriver.test(connection())
    expect(result.serverVersion).toMatch(/^PostgreSQL 15/)
    expect(result.ms).toBeGreaterThanOrEqual(0)
  })

  it('connects over TLS with each SSL mode that accepts the server', async () => {
    for (const sslMode of ['prefer', 'require'] as const) {
      expect((await postgresDriver.test(connection({ sslMode }))).serverVersion).toMatch(/15/)
    }
    for (const sslMode of ['verify-ca', 'verify-full'] as const) {
      const result = await postgresDriver.test(connection({ sslMode, sslCaFile: server.caFile }))
      expect(result.serverVersion).toMatch(/15/)
    }
    // The TLS-only role proves that "prefer" really encrypts.
    const tlsOnly = await postgresDriver.test(connection({ sslMode: 'prefer', user: 'tls_only' }))
    expect(tlsOnly.serverVersion).toMatch(/15/)
  })

  it('says the host name does not resolve', async () => {
    const error = await failureOf(postgresDriver.test(connection({ host: 'no-such-host.invalid' })))
    expect(error.code).toBe('CONNECTION_HOST_NOT_FOUND')
    expect(error.message).toContain('no-such-host.invalid')
  })

  it('says nothing listens on a closed port', async () => {
    const port = await closedPort()
    const error = await failureOf(postgresDriver.test(connection({ port })))
    expect(error.code).toBe('CONNECTION_REFUSED')
    expect(error.message).toContain(`127.0.0.1:${port}`)
  })

  it('says the password is wrong', async () => {
    const error = await failureOf(postgresDriver.test(connection({ password: 'wrong' })))
    expect(error.code).toBe('CONNECTION_AUTH_FAILED')
    expect(error.message).toContain('"postgres"')
  })

  it('says the server wants TLS when a TLS-only role connects in the clear', async () => {
    const error = await failureOf(
      postgresDriver.test(connection({ user: 'tls_only', sslMode: 'disable' })),
    )
    expect(error.code).toBe('CONNECTION_TLS_REQUIRED')
  })

  it('says TLS failed when the certificate is not signed by the given CA', async () => {
    for (const sslMode of ['verify-ca', 'verify-full'] as const) {
      const error = await failureOf(
        postgresDriver.test(connection({ sslMode, sslCaFile: otherCa })),
      )
      expect(error.code).toBe('CONNECTION_TLS_FAILED')
    }
    const missing = await failureOf(
      postgresDriver.test(
        connection({ sslMode: 'verify-full', sslCaFile: join(scratch, 'none.pem') }),
      ),
    )
    expect(missing.code).toBe('CONNECTION_TLS_FAILED')
    expect(missing.message).toContain('none.pem')
  })

  it('says TLS failed when the server name does not match under verify-full', async () => {
    // The certificate is for 127.0.0.1; "localhost" reaches the same server under another name.
    const error = await failureOf(
      postgresDriver.test(
        connection({ host: 'localhost', sslMode: 'verify-full', sslCaFile: server.caFile }),
      ),
    )
    expect(error.code).toBe('CONNECTION_TLS_FAILED')
    // verify-ca checks the chain only, so the same connection works.
    const result = await postgresDriver.test(
      connection({ host: 'localhost', sslMode: 'verify-ca', sslCaFile: server.caFile }),
    )
    expect(result.serverVersion).toMatch(/15/)
  })

  it('says the database is missing', async () => {
    const error = await failureOf(postgresDriver.test(connection({ database: 'no_such_db' })))
    expect(error.code).toBe('CONNECTION_DATABASE_MISSING')
    expect(error.message).toContain('"no_such_db"')
  })

  it('says the server did not answer in time', async () => {
    const silent = await silentServer()
    try {
      const started = Date.now()
      const error = await failureOf(
        postgresDriver.test(connection({ port: silent.port, connectTimeoutMs: 700 })),
      )
      expect(error.code).toBe('CONNECTION_TIMEOUT')
      expect(error.message).toContain('0.7 seconds')
      expect(Date.now() - started).toBeLessThan(5000)
    } finally {
      silent.close()
    }
  })

  it('browses schemas, tables with estimated rows, and columns with both types', async () => {
    const schemas = await postgresDriver.browse(connection(), {})
    const names = schemas.map((entry) => (entry.type === 'schema' ? entry.name : ''))
    expect(names).toContain('public')
    expect(names).toContain('browse_demo')
    expect(names).not.toContain('pg_catalog')
    expect(names).not.toContain('information_schema')
    expect(names).not.toContain('pg_toast')

    const tables = await postgresDriver.browse(connection(), { schema: 'browse_demo' })
    expect(tables).toEqual([
      { type: 'table', schema: 'browse_demo', name: 'big_orders', view: true, estimatedRows: null },
      { type: 'table', schema: 'browse_demo', name: 'fresh', view: false, estimatedRows: null },
      { type: 'table', schema: 'browse_demo', name: 'orders', view: false, estimatedRows: 500 },
    ])

    const columns = await postgresDriver.browse(connection(), {
      schema: 'browse_demo',
      table: 'orders',
    })
    expect(columns).toEqual([
      column('id', 'bigint', 'BIGINT', false, true),
      column('amount', 'numeric(12,2)', 'DECIMAL(12,2)', false, false),
      column('note', 'character varying(40)', 'VARCHAR', true, false),
      column('mood', 'browse_demo.mood', 'VARCHAR', true, false),
      column('placed', 'timestamp with time zone', 'TIMESTAMPTZ', true, false),
      column('tags', 'text[]', 'VARCHAR', true, false),
    ])
  })
})

function column(
  name: string,
  serverType: string,
  duckdbType: string,
  nullable: boolean,
  primaryKey: boolean,
) {
  return { type: 'column', name, serverType, duckdbType, nullable, primaryKey }
}

/** A port that was free a moment ago, so connecting to it is refused. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise((resolve) => server.close(resolve))
  return typeof address === 'object' && address ? address.port : 0
}

/** A TCP server that accepts connections and never says a word: a hung server. */
async function silentServer(): Promise<{ port: number; close(): void }> {
  const sockets: Socket[] = []
  const server: Server = createServer((socket) => {
    sockets.push(socket)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    close: () => {
      for (const socket of sockets) {
        socket.destroy()
      }
      server.close()
    },
  }
}
