import { mkdirSync, rmSync } from 'node:fs'
import { e2eDataDir, e2eDir } from './e2e-env'

/**
 * Gives the specs an empty data folder. Playwright starts the web server before this runs; the
 * host only reads the folder when asked, so creating it now is in time. The returned teardown
 * removes the run's folder (keep it with SLUICE_E2E_KEEP=1 to look at what a failing spec left).
 */
export default function globalSetup(): () => void {
  rmSync(e2eDataDir(), { recursive: true, force: true })
  mkdirSync(e2eDataDir(), { recursive: true })
  return () => {
    if (process.env['SLUICE_E2E_KEEP'] !== '1') {
      rmSync(e2eDir(), { recursive: true, force: true })
    }
  }
}
