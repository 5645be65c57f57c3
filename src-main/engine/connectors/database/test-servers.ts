import { describe, inject, it } from 'vitest'
import type { ServerInfo } from '../../../../scripts/test-servers'
import type { ResolvedConnection } from './contract'
import { requireServers } from '../../../../scripts/test-servers/global-setup'

export type { ServerInfo }

/** The two remote databases every integration test runs against. */
export type ServerKind = 'postgres' | 'mariadb'

/**
 * Declares a suite that needs a real server. Outside `npm test` a missing server skips the suite
 * with a loud message; under `npm test` and in CI it is a failing test that says what to install.
 */
export function describeWithServer(
  kind: ServerKind,
  name: string,
  body: (server: ServerInfo) => void,
): void {
  const server = inject(kind)
  if (server) {
    describe(`${name} (${kind})`, () => body(server))
    return
  }
  const reason = inject('serversMissing').join('; ') || `${kind} is not available`
  if (requireServers()) {
    describe(`${name} (${kind})`, () => {
      it('needs its server', () => {
        throw new Error(`No ${kind} server for these tests: ${reason}`)
      })
    })
  } else {
    console.warn(`*** SKIPPED "${name}" on ${kind}: ${reason}`)
    describe.skip(`${name} (${kind})`, () => body({} as ServerInfo))
  }
}

/** Runs the same suite against both servers: the integration matrix. */
export function describeOnEachServer(
  name: string,
  body: (server: ServerInfo, kind: ServerKind) => void,
): void {
  for (const kind of ['postgres', 'mariadb'] as const) {
    describeWithServer(kind, name, (server) => body(server, kind))
  }
}

/** A test server as the service would resolve a project connection to it: plain TCP, 5 s timeout. */
export function connectionTo(
  server: ServerInfo,
  named: Pick<ResolvedConnection, 'id' | 'name' | 'kind'> & Partial<ResolvedConnection>,
): ResolvedConnection {
  return {
    host: server.host,
    port: server.port,
    database: server.database,
    user: server.user,
    password: server.password,
    sslMode: 'disable',
    connectTimeoutMs: 5_000,
    ...named,
  }
}
