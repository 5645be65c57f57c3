import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  connect,
  dragFromPalette,
  input,
  node,
  openNewPipeline,
  output,
  typeInEditor,
} from './canvas-actions'
import { expect, screenshotPath, test, writeCsv } from './fixtures'

/**
 * Spec 1, the path the app is for: from an empty project, draw source → filter → sink, pick the
 * file, type the condition, see the preview keep only matching rows, run, and read the file.
 */
test('draw, configure, preview and run a pipeline from an empty project', async ({
  sluice: page,
  dataDir,
}) => {
  writeCsv(
    'shop-orders.csv',
    'id,customer,amount\n1,ana,10\n2,bo,60\n3,cy,75.5\n4,di,20\n5,ed,90\n6,fu,50\n7,gu\n',
  )
  const canvas = await openNewPipeline(page, dataDir, 'person-path')
  await dragFromPalette(page, canvas, 'CSV / TSV file', { x: 160, y: 140 })
  await dragFromPalette(page, canvas, 'Filter rows', { x: 460, y: 140 })
  await dragFromPalette(page, canvas, 'Write CSV', { x: 760, y: 140 })
  await connect(page, output('out', 'csv_1'), input('in', 'filter_1'))
  await connect(page, output('out', 'filter_1'), input('in', 'write_csv_1'))

  // The source's file, chosen in the web host's file picker.
  await node(canvas, 'csv_1').click()
  await page.getByRole('button', { name: 'Choose… File' }).click()
  const picker = page.getByRole('dialog')
  await picker.getByText(dataDir, { exact: true }).click()
  await picker.getByText('shop-orders.csv', { exact: true }).click()
  await expect(page.getByLabel('File', { exact: true })).toHaveValue(
    join(dataDir, 'shop-orders.csv'),
  )

  // The line that cannot be read is there to see, with its reason, not silently lost.
  await page.getByRole('tab', { name: 'Preview' }).click()
  await page.getByRole('button', { name: 'Rejected rows' }).click()
  const rejected = page.getByRole('table', { name: 'Rejected rows of csv_1' })
  await expect(rejected).toContainText('7,gu')
  await page.getByRole('button', { name: 'Rows', exact: true }).click()

  // The condition, typed into the SQL editor.
  await node(canvas, 'filter_1').click()
  await typeInEditor(page, 'Condition', 'amount > 50')
  await page.keyboard.press('Escape')

  // The preview of the filter shows only the matching rows.
  await page.getByRole('tab', { name: 'Preview' }).click()
  const grid = page.getByRole('table', { name: /^Rows of / })
  // The virtual grid's spacer rows are empty; the data rows have text.
  await expect(grid.locator('tbody').getByRole('row').filter({ hasText: /\S/ })).toHaveCount(3)
  await expect(grid).toContainText('bo')
  await expect(grid).not.toContainText('ana')
  await page.screenshot({ path: screenshotPath('person-path-preview') })

  // The sink's file, typed, then Run.
  const written = join(dataDir, 'big-orders.csv')
  await node(canvas, 'write_csv_1').click()
  await page.getByLabel('File', { exact: true }).fill(written)
  await page.getByRole('button', { name: 'Run', exact: true }).click()
  await page.getByRole('tab', { name: 'Run log' }).click()
  await expect(page.getByRole('log')).toContainText('Run succeeded')
  await expect(node(canvas, 'write_csv_1').getByTestId('node-status')).toContainText('3 rows')
  await page.screenshot({ path: screenshotPath('person-path-run') })

  expect(readFileSync(written, 'utf8').trim().split('\n')).toEqual([
    'id,customer,amount',
    '2,bo,60.0',
    '3,cy,75.5',
    '5,ed,90.0',
  ])
})
