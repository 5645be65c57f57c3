import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { Locator, Page } from '@playwright/test'
import type { Pipeline } from '../src-shared/pipeline'
import { ProjectStore } from '../src-main/store'
import { expect, screenshotPath, test, writeBigCsv, writeCsv } from './fixtures'

/**
 * Preview, run, cancel, history, versions and language, acted out as a person would. Projects are
 * made with the real project store before each spec (so these specs do not need the canvas), then
 * opened through the start screen and the web file picker.
 */

interface PipelineSpec {
  name: string
  csv: string
  where: string
  output: string
}

/** A CSV source → filter → CSV sink document; nodes `orders`, `big` and `write`. */
function ordersPipeline({ name, csv, where, output }: PipelineSpec): Pipeline {
  return {
    formatVersion: 1,
    name,
    parameters: {},
    nodes: [
      {
        id: 'orders',
        kind: 'source.csv',
        label: 'Orders',
        config: { path: csv },
        position: { x: 0, y: 0 },
      },
      {
        id: 'big',
        kind: 'transform.filter',
        label: 'Big orders',
        config: { where },
        position: { x: 240, y: 0 },
      },
      {
        id: 'write',
        kind: 'sink.csv',
        label: 'Write',
        config: { path: output },
        position: { x: 480, y: 0 },
      },
    ],
    edges: [
      { from: { node: 'orders', port: 'out' }, to: { node: 'big', port: 'in' } },
      { from: { node: 'big', port: 'out' }, to: { node: 'write', port: 'in' } },
    ],
  }
}

/** Creates `<name>.sluice` in the data folder with these pipelines, each saved as version 1. */
function createProject(dataDir: string, name: string, pipelines: PipelineSpec[]): string {
  const path = join(dataDir, `${name}.sluice`)
  rmSync(path, { force: true })
  const store = ProjectStore.create(path, { name })
  try {
    for (const spec of pipelines) {
      const created = store.pipelines.create({ name: spec.name, document: ordersPipeline(spec) })
      store.pipelines.saveVersion(created.id, { message: 'first version' })
    }
  } finally {
    store.close()
  }
  return path
}

/** Start screen → "Open project…" → the data folder → the file; then opens `pipeline`. */
async function openProject(page: Page, dataDir: string, file: string, pipeline: string) {
  await page.getByRole('button', { name: 'Open project…' }).click()
  const picker = page.getByRole('dialog')
  await picker.getByText(dataDir, { exact: true }).click()
  await picker.getByText(file, { exact: true }).click()
  await openPipeline(page, pipeline)
}

async function openPipeline(page: Page, name: string) {
  await page
    .getByRole('navigation')
    .getByRole('list', { name: 'Pipelines' })
    .getByText(name, { exact: true })
    .click()
  await expect(page.getByTestId('save-state')).toBeVisible()
}

async function runAndWait(page: Page, status: string, runLabel = 'Run') {
  await page.getByRole('button', { name: runLabel, exact: true }).click()
  await page.getByRole('tab', { name: /Run log|运行日志/ }).click()
  await expect(page.getByTestId('run-status')).toHaveText(status, { timeout: 30_000 })
}

/** Opens the Settings dialog's language list from the keyboard and picks `language`. */
async function chooseLanguage(page: Page, label: string, language: string) {
  const select = page.getByRole('dialog').getByRole('combobox', { name: label })
  await select.focus()
  await select.press('ArrowDown')
  await page.getByRole('option', { name: language }).click()
}

/** The grid's data rows; a virtual table adds empty spacer rows above and below them. */
function dataRows(grid: Locator): Locator {
  return grid.locator('tbody').getByRole('row').filter({ hasText: /\S/ })
}

const smallOrders = [
  'id,customer,amount,ordered_on',
  '1,ann,10,2024-01-05',
  '2,bob,75,2024-01-06',
  '3,ann,120,2024-02-01',
  '4,cy,,2024-02-03',
  '5,bob,50,2024-03-10',
  '6,dee,5,2024-03-11',
].join('\n')

test('the preview of a filter shows only the rows it keeps, with a profile', async ({
  sluice,
  dataDir,
}) => {
  const csv = writeCsv('preview-orders.csv', smallOrders)
  const output = join(dataDir, 'preview-out.csv')
  createProject(dataDir, 'preview', [{ name: 'Big orders', csv, where: 'amount >= 50', output }])
  await openProject(sluice, dataDir, 'preview.sluice', 'Big orders')
  await expect(sluice.getByTestId('preview-hint')).toBeVisible()

  await runAndWait(sluice, 'Succeeded')
  await expect(sluice.getByRole('log')).toContainText('Run succeeded')
  await sluice.screenshot({ path: screenshotPath('run-log') })
  expect(readFileSync(output, 'utf8').trim().split('\n')).toHaveLength(4)

  // The log links each line to its node; following one selects the node for the preview.
  await sluice.getByRole('button', { name: 'Select node Big orders' }).first().click()
  await sluice.getByRole('tab', { name: 'Preview' }).click()
  const grid = sluice.getByRole('table', { name: 'Rows of Big orders' })
  await expect(grid).toBeVisible()
  await expect(grid.getByRole('columnheader')).toHaveText([
    /id\s*BIGINT/,
    /customer\s*VARCHAR/,
    /amount\s*BIGINT/,
    /ordered_on\s*DATE/,
  ])
  const rows = dataRows(grid)
  await expect(rows).toHaveCount(3)
  await expect(rows.nth(0)).toContainText('75')
  await expect(rows.nth(1)).toContainText('120')
  await expect(rows.nth(2)).toContainText('50')
  await expect(sluice.getByTestId('preview-summary')).toContainText('3 rows')

  await sluice.getByRole('button', { name: 'Profile' }).click()
  const amount = sluice.getByRole('listitem', { name: 'amount' })
  await expect(amount).toContainText('Min')
  await expect(amount).toContainText('50')
  await expect(amount).toContainText('120')
  await sluice.screenshot({ path: screenshotPath('preview') })

  // The source has a rejected-rows view; this file has none.
  await sluice.getByRole('tab', { name: 'Run log' }).click()
  await sluice.getByRole('button', { name: 'Select node Orders' }).first().click()
  await sluice.getByRole('tab', { name: 'Preview' }).click()
  await sluice.getByRole('button', { name: 'Rows', exact: true }).click()
  await expect(dataRows(sluice.getByRole('table', { name: 'Rows of Orders' }))).toHaveCount(6)
  await sluice.getByRole('button', { name: 'Rejected rows' }).click()
  await expect(sluice.getByText('No rejected rows: every line was read.')).toBeVisible()

  await sluice.getByRole('tab', { name: 'History' }).click()
  const history = sluice.getByRole('table', { name: 'Runs of this pipeline' })
  await expect(history).toContainText('Succeeded')
  await history.getByRole('button', { name: 'Details of the run' }).first().click()
  const details = sluice.getByRole('table', { name: 'Details of the run' })
  await expect(details.locator('tbody tr')).toHaveCount(3)
  await expect(details).toContainText('Big orders')
  await sluice.screenshot({ path: screenshotPath('history') })
})

test('spec 5: cancelling a run over 5,000,000 rows leaves no output and the app usable', async ({
  sluice,
  dataDir,
}) => {
  test.setTimeout(240_000)
  const big = await writeBigCsv('orders-5m.csv', 5_000_000)
  const bigOutput = join(dataDir, 'big-out.csv')
  const small = writeCsv('small-orders.csv', smallOrders)
  const smallOutput = join(dataDir, 'small-out.csv')
  createProject(dataDir, 'cancel', [
    { name: 'Big run', csv: big, where: 'amount >= 500', output: bigOutput },
    { name: 'Small run', csv: small, where: 'amount >= 50', output: smallOutput },
  ])
  await openProject(sluice, dataDir, 'cancel.sluice', 'Big run')

  await sluice.getByRole('button', { name: 'Run', exact: true }).click()
  // Cancel once the run is under way (its nodes are known), while the source stages.
  await expect(sluice.getByTestId('run-progress')).toContainText(/of 3 nodes/)
  await sluice.getByRole('button', { name: 'Cancel run' }).click()
  await sluice.getByRole('tab', { name: 'Run log' }).click()
  await expect(sluice.getByTestId('run-status')).toHaveText('Cancelled', { timeout: 30_000 })
  await expect(sluice.getByRole('log')).toContainText('Run cancelled')
  expect(existsSync(bigOutput)).toBe(false)

  // Still usable: preview the 5M-row source (staged by the preview) and read its row count.
  const started = Date.now()
  await sluice.getByRole('button', { name: 'Select node Orders' }).first().click()
  await sluice.getByRole('tab', { name: 'Preview' }).click()
  const grid = sluice.getByRole('table', { name: 'Rows of Orders' })
  await expect(dataRows(grid).first()).toBeVisible({ timeout: 60_000 })
  const firstRowsMs = Date.now() - started
  await expect(sluice.getByTestId('preview-summary')).toContainText('5,000,000 rows', {
    timeout: 60_000,
  })
  const countedMs = Date.now() - started
  const summary = await sluice.getByTestId('preview-summary').textContent()
  test.info().annotations.push({
    type: 'first preview of 5M rows',
    description: `rows on screen after ${firstRowsMs} ms, count and profile after ${countedMs} ms (${summary?.trim()})`,
  })
  console.log(`5M preview: rows ${firstRowsMs} ms, profile ${countedMs} ms; ${summary?.trim()}`)

  // And another pipeline runs to the end.
  await openPipeline(sluice, 'Small run')
  await runAndWait(sluice, 'Succeeded')
  expect(existsSync(smallOutput)).toBe(true)
})

test('spec 6: an autosaved edit survives a reload, and restoring version 1 brings it back', async ({
  sluice,
  dataDir,
}) => {
  const csv = writeCsv('versions-orders.csv', smallOrders)
  createProject(dataDir, 'versions', [
    { name: 'Versioned', csv, where: 'amount >= 50', output: join(dataDir, 'versions-out.csv') },
  ])
  await openProject(sluice, dataDir, 'versions.sluice', 'Versioned')
  const saveState = sluice.getByTestId('save-state')
  await expect(saveState).toHaveText('All changes saved as version 1')
  const problems = sluice.getByRole('tab', { name: /Problems/ })
  await expect(problems).toHaveText('Problems')

  // The edit: select the filter (through the run log's link) and delete it with the Delete key.
  await runAndWait(sluice, 'Succeeded')
  await sluice.getByRole('button', { name: 'Select node Big orders' }).first().click()
  await sluice.keyboard.press('Delete')
  // The chip turns once the working copy is autosaved.
  await expect(saveState).toHaveText('Unsaved changes')
  await expect(problems).not.toHaveText('Problems')

  await sluice.reload()
  await sluice
    .getByRole('list', { name: 'Recent projects' })
    .getByText('versions', { exact: true })
    .first()
    .click()
  await openPipeline(sluice, 'Versioned')
  await expect(saveState).toHaveText('Unsaved changes')
  // The sink lost its input with the filter: the autosaved document, not version 1.
  await expect(problems).not.toHaveText('Problems')

  await sluice.getByRole('button', { name: 'Versions' }).click()
  const versions = sluice.getByRole('dialog')
  await versions
    .getByRole('listitem')
    .filter({ hasText: '1. first version' })
    .getByRole('button', { name: 'Restore' })
    .click()
  await expect(saveState).toHaveText('All changes saved as version 2')
  await expect(problems).toHaveText('Problems')
  await runAndWait(sluice, 'Succeeded')
  await expect(sluice.getByRole('log')).toContainText('Big orders')
})

test('spec 7: in Simplified Chinese the labels change and a run still succeeds', async ({
  sluice,
  dataDir,
}) => {
  const csv = writeCsv('chinese-orders.csv', smallOrders)
  createProject(dataDir, 'chinese', [
    { name: '订单', csv, where: 'amount >= 50', output: join(dataDir, 'chinese-out.csv') },
  ])
  await openProject(sluice, dataDir, 'chinese.sluice', '订单')

  await sluice.getByRole('button', { name: 'Settings' }).click()
  await chooseLanguage(sluice, 'Language', '简体中文')
  await sluice.getByRole('dialog').getByRole('button', { name: '关闭' }).click()

  const run = sluice.getByRole('button', { name: '运行', exact: true })
  await expect(run).toBeVisible()
  await expect(sluice.getByRole('button', { name: '运行到所选节点' })).toBeVisible()
  await expect(sluice.getByRole('tab', { name: '预览' })).toBeVisible()
  await runAndWait(sluice, '成功', '运行')
  await expect(sluice.getByRole('button', { name: '选中节点 Big orders' }).first()).toBeVisible()

  // Back to English for the specs that follow.
  await sluice.getByRole('button', { name: '设置' }).click()
  await chooseLanguage(sluice, '语言', 'English')
  await sluice.getByRole('dialog').getByRole('button', { name: 'Close' }).click()
  await expect(sluice.getByRole('button', { name: 'Run', exact: true })).toBeVisible()
})
