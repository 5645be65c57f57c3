import { existsSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { ProjectStore } from '../src-main/store'
import type { Pipeline } from '../src-shared/pipeline'
import { typeInEditor } from './canvas-actions'
import { expect, screenshotPath, test, writeCsv } from './fixtures'

/**
 * The config panel: a person picks a node from the Problems tab, fixes and breaks its condition
 * in the SQL editor, and runs the pipeline. The project is written with the real store before
 * the spec (CSV source → filter → CSV sink, the filter's condition still empty), then opened
 * through "Open project…" like any project.
 */

const projectName = 'config-spec.sluice'
const pipelineName = 'Orders cleanup'

function seedProject(dataDir: string): { output: string } {
  const input = writeCsv(
    'config-orders.csv',
    'id,customer,amount\n1,Ada,12.50\n2,Grace,0\n3,Linus,99.90\n',
  )
  const output = join(dataDir, 'config-out.csv')
  const path = join(dataDir, projectName)
  rmSync(path, { force: true })
  rmSync(output, { force: true })
  const document: Pipeline = {
    formatVersion: 1,
    name: pipelineName,
    parameters: {},
    nodes: [
      { id: 'csv_1', kind: 'source.csv', position: { x: 0, y: 0 }, config: { path: input } },
      {
        id: 'filter_1',
        kind: 'transform.filter',
        position: { x: 260, y: 0 },
        config: { where: '' },
      },
      { id: 'sink_1', kind: 'sink.csv', position: { x: 520, y: 0 }, config: { path: output } },
    ],
    edges: [
      { from: { node: 'csv_1', port: 'out' }, to: { node: 'filter_1', port: 'in' } },
      { from: { node: 'filter_1', port: 'out' }, to: { node: 'sink_1', port: 'in' } },
    ],
  }
  const store = ProjectStore.create(path, { name: 'Config spec' })
  try {
    const created = store.pipelines.create({ name: pipelineName, document })
    store.pipelines.saveVersion(created.id, { message: 'seeded by the spec' })
  } finally {
    store.close()
  }
  return { output }
}

async function openSeededPipeline(page: Page, dataDir: string): Promise<void> {
  await page.getByRole('button', { name: 'Open project…' }).click()
  const picker = page.getByRole('dialog')
  await picker.getByText(dataDir, { exact: true }).click()
  await picker.getByText(projectName, { exact: true }).click()
  await expect(picker).toBeHidden()
  await page.getByText(pipelineName, { exact: true }).click()
}

/** Monaco's input, found by the editor's accessible name. */
test('configure a filter from the Problems tab, then run it with a bad condition', async ({
  sluice: page,
  dataDir,
}) => {
  const { output } = seedProject(dataDir)
  await openSeededPipeline(page, dataDir)

  // The empty condition is a problem of the pipeline; clicking it selects the filter.
  await page.getByRole('tab', { name: /Problems/ }).click()
  const problems = page.getByRole('list', { name: 'Problems of the pipeline' })
  const problem = problems.getByRole('button', { name: /filter_1/ })
  await expect(problem).toContainText('write an expression')
  await problem.click()

  const panel = page.getByRole('heading', { name: 'Filter rows' })
  await expect(panel).toBeVisible()
  const condition = page.getByLabel('Condition', { exact: true })
  await expect(condition).toBeAttached()
  // The error shows under the condition itself, not only in the list.
  const settings = page.getByRole('region', { name: 'Settings' })
  await expect(settings.getByText('write an expression')).toBeVisible()

  await typeInEditor(page, 'Condition', 'no_such_column > 1')
  await page.keyboard.press('Escape')
  await expect(settings.getByText('write an expression')).toBeHidden()
  await expect(page.getByText('No problems: the pipeline can run.')).toBeVisible()

  // The run fails in the filter: the log names it, the details mark it failed, nothing is written.
  await page.getByRole('button', { name: 'Run', exact: true }).click()
  const log = page.getByRole('log', { name: 'Log of the run' })
  await expect(log).toContainText('filter_1')
  await expect(log).toContainText('no_such_column')
  await page.getByRole('tab', { name: 'History' }).click()
  await page.getByRole('button', { name: 'Details of the run' }).first().click()
  const details = page.getByRole('table', { name: 'Details of the run' })
  await expect(details.getByRole('row', { name: /filter_1/ })).toContainText('Failed')
  expect(existsSync(output), 'a failed run must not write its output').toBe(false)

  // The editor completes the columns coming into the filter, with their types.
  await typeInEditor(page, 'Condition', 'amou')
  const suggestion = page.getByRole('option', { name: /amount/ })
  await expect(suggestion).toBeVisible()
  await expect(suggestion).toContainText(/DOUBLE|DECIMAL/)
  await page.screenshot({ path: screenshotPath('config-completion') })
  await page.keyboard.press('Enter')
  await page.keyboard.type(' > 10')
  await page.getByRole('tab', { name: /Problems/ }).click()
  await expect(page.getByText('No problems: the pipeline can run.')).toBeVisible()

  // Emptying the condition brings the inline error and the problem back.
  await typeInEditor(page, 'Condition', '')
  await expect(settings.getByText('write an expression')).toBeVisible()
  await expect(problems.getByRole('button', { name: /filter_1/ })).toBeVisible()
  await expect(page.getByRole('table', { name: 'Runs of this pipeline' })).toBeHidden()
  await page.screenshot({ path: screenshotPath('config') })
})
