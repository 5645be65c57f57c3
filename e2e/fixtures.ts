import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { test as base, expect, type Page } from '@playwright/test'
import { e2eDataDir, e2eToken } from './e2e-env'

/** What every spec gets besides Playwright's own fixtures. */
interface SluiceFixtures {
  /** The app, opened with the session token as a person would from the printed address. */
  sluice: Page
  /** The folder the app's file picker may browse, where specs put their files. */
  dataDir: string
}

export const test = base.extend<SluiceFixtures>({
  // Playwright reads a fixture's dependencies from its first parameter, which must be a pattern.
  // eslint-disable-next-line no-empty-pattern
  dataDir: async ({}, use) => {
    await use(e2eDataDir())
  },
  sluice: async ({ page }, use) => {
    const response = await page.goto(`/?token=${e2eToken}`)
    expect(response?.status(), 'the web host should let the token in').toBe(200)
    await use(page)
  },
})

export { expect }

/** Writes a CSV into the data folder and returns its absolute path. */
export function writeCsv(name: string, content: string): string {
  const path = join(e2eDataDir(), name)
  writeFileSync(path, content)
  return path
}

/**
 * Writes a CSV of `rows` orders (`id,customer,amount,ordered_on`) with DuckDB, fast enough for
 * tens of millions of rows (a spec that cancels a run needs one that takes a while), and returns
 * its path.
 */
export async function writeBigCsv(name: string, rows: number): Promise<string> {
  if (!Number.isInteger(rows) || rows < 0) {
    throw new Error(`rows must be a whole number, not ${rows}`)
  }
  const path = join(e2eDataDir(), name)
  const instance = await DuckDBInstance.create(':memory:')
  const connection = await instance.connect()
  try {
    await connection.run(
      `COPY (
         SELECT i + 1 AS id,
                'c' || (i % 997) AS customer,
                round((i * 7919 % 100000) / 100.0, 2) AS amount,
                DATE '2024-01-01' + CAST(i % 366 AS INTEGER) AS ordered_on
         FROM range(${rows}) AS t(i)
       ) TO '${path.replaceAll("'", "''")}' (HEADER)`,
    )
  } finally {
    connection.closeSync()
    instance.closeSync()
  }
  return path
}

/** Where a spec keeps the screenshot of a screen for reviewers (git-ignored). */
export function screenshotPath(name: string): string {
  return join(import.meta.dirname, 'screenshots', `${name}.png`)
}
