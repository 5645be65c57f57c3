import { join } from 'node:path'

/**
 * Where the e2e run keeps its files, shared by the config (which creates the folder and starts
 * the web host on it), the global setup and the fixtures. Playwright loads the config in its
 * runner and again in every worker; the runner picks the folder and the workers inherit it
 * through this environment variable.
 */
export const e2eDirVariable = 'SLUICE_E2E_DIR'

/** The web host's fixed port, chosen to be unlikely to clash, and the session token. */
export const e2ePort = 47321
export const e2eToken = 'e2e-token'
export const e2eOrigin = `http://127.0.0.1:${e2ePort}`

/** The run's folder; throws outside a Playwright run, where there is none. */
export function e2eDir(): string {
  const dir = process.env[e2eDirVariable]
  if (!dir) {
    throw new Error(`${e2eDirVariable} is not set; run the specs with \`npm run e2e\`.`)
  }
  return dir
}

/** Files the specs give the app: the web host's file picker may browse here. */
export function e2eDataDir(): string {
  return join(e2eDir(), 'data')
}

/** The web host's HOME and XDG_CONFIG_HOME, so the real user's app store is never touched. */
export function e2eHomeDir(): string {
  return join(e2eDir(), 'home')
}
