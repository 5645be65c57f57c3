import { mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { defineConfig } from '@playwright/test'
import { e2eDataDir, e2eDirVariable, e2eHomeDir, e2eOrigin, e2ePort, e2eToken } from './e2e-env'

/**
 * `npm run e2e` (after `electron-vite build`): the specs drive Debian's Chromium against the web
 * host, which serves the built renderer and the real engine. Never `npx playwright install`: the
 * browser download fails here, and CI installs `chromium` from Debian (.ci/run).
 */

// Only the runner creates the run's folder; workers load this file again and inherit it.
process.env[e2eDirVariable] ??= mkdtempSync(join(tmpdir(), 'sluice-e2e-'))
mkdirSync(e2eHomeDir(), { recursive: true })

const repoRoot = resolve(import.meta.dirname, '..')

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  globalSetup: './global-setup.ts',
  // Failure screenshots and traces go beside the kept screenshots, which git ignores.
  outputDir: './screenshots/test-results',
  // One web host, one engine, one open project: specs run one after another.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  reporter: 'list',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: e2eOrigin,
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1440, height: 900 },
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    },
    screenshot: 'only-on-failure',
  },
  webServer: {
    command: `npx tsx src-main/hosts/web/bin.ts --port ${e2ePort} --token ${e2eToken}`,
    cwd: repoRoot,
    // Without the token the host answers 403, which Playwright counts as up.
    url: `${e2eOrigin}/`,
    // A developer's own `npm run web` on this port would have other data; fail instead.
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    stderr: 'pipe',
    // SIGTERM lets the host cancel runs and close its stores before it exits.
    gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
    env: {
      SLUICE_WEB_ROOTS: e2eDataDir(),
      HOME: e2eHomeDir(),
      XDG_CONFIG_HOME: join(e2eHomeDir(), '.config'),
      APPDATA: join(e2eHomeDir(), 'AppData'),
      // The web host's secrets come from its environment, as an administrator would set them:
      // the spec's "Warehouse" connection finds its password here.
      SLUICE_SECRET_WAREHOUSE: 'e2e-secret-from-the-environment',
    },
  },
})
