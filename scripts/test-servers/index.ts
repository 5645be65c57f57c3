import { randomBytes } from 'node:crypto'
import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ServerInfo, TestServer } from './common'
import { mariadbInstalled, startMariadb } from './mariadb'
import { postgresInstalled, startPostgres } from './postgres'

export type { ServerInfo } from './common'

/** The private servers the integration tests use; a missing one is null with the reason. */
export interface TestServers {
  postgres: ServerInfo | null
  mariadb: ServerInfo | null
  /** Why a server is missing, e.g. "PostgreSQL 15 is not installed: run scripts/install-test-servers.sh". */
  missing: string[]
  stop(): Promise<void>
}

const installHint =
  'run scripts/install-test-servers.sh (apt-get install postgresql mariadb-server)'

/**
 * Starts private PostgreSQL and MariaDB instances under a new temporary folder, each on a free
 * port on 127.0.0.1 with a random password, and removes everything on stop.
 */
export async function startTestServers(): Promise<TestServers> {
  const root = mkdtempSync(join(tmpdir(), 'sluice-servers-'))
  // PostgreSQL runs as its own user when we are root and must reach its folders.
  chmodSync(root, 0o755)
  const password = randomBytes(12).toString('hex')
  const started: TestServer[] = []
  const missing: string[] = []
  const start = async (
    name: string,
    installed: boolean,
    launch: () => Promise<TestServer>,
  ): Promise<ServerInfo | null> => {
    if (!installed) {
      missing.push(`${name} is not installed: ${installHint}`)
      return null
    }
    try {
      const server = await launch()
      started.push(server)
      return server.info
    } catch (thrown) {
      missing.push(`${name} did not start: ${String(thrown)}`)
      return null
    }
  }
  const postgres = await start('PostgreSQL 15', postgresInstalled(), () =>
    startPostgres(root, password),
  )
  const mariadb = await start('MariaDB', mariadbInstalled(), () => startMariadb(root, password))
  return {
    postgres,
    mariadb,
    missing,
    stop: async () => {
      for (const server of started) {
        try {
          await server.stop()
        } catch (thrown) {
          console.warn(String(thrown))
        }
      }
      rmSync(root, { recursive: true, force: true })
    },
  }
}

// `tsx scripts/test-servers/index.ts`: start both servers for manual work, print how to reach
// them, and stop them on Ctrl-C.
if (import.meta.url === `file://${process.argv[1]}`) {
  const servers = await startTestServers()
  console.log(JSON.stringify({ postgres: servers.postgres, mariadb: servers.mariadb }, null, 2))
  for (const reason of servers.missing) {
    console.error(reason)
  }
  console.log('Press Ctrl-C to stop the servers.')
  process.on('SIGINT', () => {
    void servers.stop().then(() => process.exit(0))
  })
  setInterval(() => undefined, 1 << 30)
}
