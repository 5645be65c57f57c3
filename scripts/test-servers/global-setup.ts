import type { TestProject } from 'vitest/node'
import { startTestServers, type ServerInfo } from './index'

declare module 'vitest' {
  export interface ProvidedContext {
    postgres: ServerInfo | null
    mariadb: ServerInfo | null
    serversMissing: string[]
  }
}

/**
 * Vitest global setup for the integration tests: starts private servers once for the whole run
 * and hands their addresses to the tests through `inject`.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const servers = await startTestServers()
  project.provide('postgres', servers.postgres)
  project.provide('mariadb', servers.mariadb)
  project.provide('serversMissing', servers.missing)
  for (const reason of servers.missing) {
    console.warn(
      `\n*** ${reason}; tests that need it will ${requireServers() ? 'FAIL' : 'be SKIPPED'}.\n`,
    )
  }
  return () => servers.stop()
}

/** `npm test` (and so CI) must never pass by skipping: there a missing server fails its tests. */
export function requireServers(): boolean {
  return process.env.npm_lifecycle_event === 'test' || process.env.CI === 'true'
}
