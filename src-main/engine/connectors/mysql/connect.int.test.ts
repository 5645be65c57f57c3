import { createServer, type Server, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SluiceFailure } from '../../../../src-shared/errors'
import { freePort } from '../../../../scripts/test-servers/common'
import { describeWithServer } from '../database/test-servers'
import { mysqlDriver } from './index'
import { adminSession, resolvedFor } from './test-support'

/** The error code a failed call threw. */
async function failureOf(work: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await work
  } catch (thrown) {
    if (thrown instanceof SluiceFailure) {
      return { code: thrown.error.code, message: thrown.error.message }
    }
    throw thrown
  }
  throw new Error('expected a failure')
}

describeWithServer('mariadb', 'MySQL driver: test connection', (server) => {
  it('reports the server version and the time taken', async () => {
    const result = await mysqlDriver.test(resolvedFor(server))
    expect(result.serverVersion).toMatch(/MariaDB/)
    expect(result.ms).toBeGreaterThanOrEqual(0)
  })

  it('connects with SSL mode "prefer" to a server without TLS, falling back to plain text', async () => {
    const result = await mysqlDriver.test(resolvedFor(server, { sslMode: 'prefer' }))
    expect(result.serverVersion).toMatch(/MariaDB/)
  })

  it('says when the host name does not resolve', async () => {
    const failure = await failureOf(
      mysqlDriver.test(resolvedFor(server, { host: 'no-such-host.invalid' })),
    )
    expect(failure.code).toBe('CONNECTION_HOST_NOT_FOUND')
    expect(failure.message).toContain('no-such-host.invalid')
  })

  it('says when nothing listens on the port', async () => {
    const port = await freePort()
    const failure = await failureOf(mysqlDriver.test(resolvedFor(server, { port })))
    expect(failure.code).toBe('CONNECTION_REFUSED')
    expect(failure.message).toContain(String(port))
  })

  it('says when the password is wrong', async () => {
    const failure = await failureOf(mysqlDriver.test(resolvedFor(server, { password: 'wrong' })))
    expect(failure.code).toBe('CONNECTION_AUTH_FAILED')
    expect(failure.message).toContain('"sluice"')
  })

  it('says when the database does not exist', async () => {
    const failure = await failureOf(mysqlDriver.test(resolvedFor(server, { database: 'nope' })))
    expect(failure.code).toBe('CONNECTION_DATABASE_MISSING')
    expect(failure.message).toContain('"nope"')
  })

  it('says TLS failed when "require" meets a server without TLS', async () => {
    const failure = await failureOf(mysqlDriver.test(resolvedFor(server, { sslMode: 'require' })))
    expect(failure.code).toBe('CONNECTION_TLS_FAILED')
    expect(failure.message).toMatch(/does not support encrypted connections/)
  })

  it('says TLS failed when the CA file cannot be read', async () => {
    const failure = await failureOf(
      mysqlDriver.test(
        resolvedFor(server, { sslMode: 'verify-full', sslCaFile: '/nonexistent/ca.pem' }),
      ),
    )
    expect(failure.code).toBe('CONNECTION_TLS_FAILED')
  })

  it('reports a REQUIRE SSL user connecting without TLS as refused (MariaDB answers 1045 alike)', async () => {
    const admin = await adminSession(server)
    try {
      await admin.query(`DROP USER IF EXISTS 'sluice_tls'@'127.0.0.1'`)
      await admin.query(`CREATE USER 'sluice_tls'@'127.0.0.1' IDENTIFIED BY 'pw' REQUIRE SSL`)
      const failure = await failureOf(
        mysqlDriver.test(resolvedFor(server, { user: 'sluice_tls', password: 'pw' })),
      )
      expect(failure.code).toBe('CONNECTION_AUTH_FAILED')
    } finally {
      await admin.query(`DROP USER IF EXISTS 'sluice_tls'@'127.0.0.1'`)
      await admin.end()
    }
  })

  describe('a server that accepts and never answers', () => {
    let silent: Server
    let port = 0
    const sockets: Socket[] = []
    beforeAll(async () => {
      silent = createServer((socket) => sockets.push(socket))
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
      const address = silent.address()
      port = typeof address === 'object' && address ? address.port : 0
    })
    afterAll(async () => {
      sockets.forEach((socket) => socket.destroy())
      await new Promise((resolve) => silent.close(resolve))
    })

    it('times out with the configured limit', async () => {
      const started = Date.now()
      const failure = await failureOf(
        mysqlDriver.test(resolvedFor(server, { port, connectTimeoutMs: 1_000 })),
      )
      expect(failure.code).toBe('CONNECTION_TIMEOUT')
      expect(failure.message).toContain('1 seconds')
      expect(Date.now() - started).toBeLessThan(5_000)
    })
  })
})
