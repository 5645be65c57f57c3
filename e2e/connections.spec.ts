import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import type { Locator, Page } from '@playwright/test'
import { connect, input, node, openNewPipeline, output } from './canvas-actions'
import { expect, screenshotPath, test } from './fixtures'

/**
 * Database connections, acted out by a person: create a SQLite connection, test it, browse to a
 * table and its columns, use the table as a source and another as a push target, dry-run the
 * push (nothing changes), then run it and read the table. The file is made by the spec with
 * better-sqlite3; its rows hold unicode so every hop keeps it.
 */

const customers = [
  { id: 1, name: 'Zoë Ångström', city: 'Malmö' },
  { id: 2, name: '王小明', city: '北京' },
  { id: 3, name: 'Ana 🚀', city: 'São Paulo' },
]

/** A SQLite file with `customers` (three rows) and an empty `customers_copy` of the same shape. */
function writeShop(dataDir: string): string {
  const path = join(dataDir, `shop-${Date.now()}.sqlite`)
  const database = new Database(path)
  try {
    database.exec(`
      CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, city TEXT);
      CREATE TABLE customers_copy (id INTEGER PRIMARY KEY, name TEXT NOT NULL, city TEXT);
    `)
    const insert = database.prepare('INSERT INTO customers (id, name, city) VALUES (?, ?, ?)')
    for (const row of customers) {
      insert.run(row.id, row.name, row.city)
    }
  } finally {
    database.close()
  }
  return path
}

function copiedRows(path: string): unknown[] {
  const database = new Database(path, { readonly: true })
  try {
    return database.prepare('SELECT id, name, city FROM customers_copy ORDER BY id').all()
  } finally {
    database.close()
  }
}

/** Opens the connections manager from the toolbar. */
async function openConnections(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'Connections', exact: true }).click()
  const dialog = page.getByRole('dialog', { name: 'Connections' })
  await expect(dialog).toBeVisible()
  return dialog
}

/** Fills in a new SQLite connection named `name` to `file` (typed, as one may). */
async function fillSqliteConnection(dialog: Locator, name: string, file: string): Promise<void> {
  await dialog.getByRole('button', { name: 'New connection' }).click()
  await dialog.getByLabel('Name', { exact: true }).fill(name)
  // A select opens from the keyboard like a person tabbing through the form.
  const kind = dialog.getByRole('combobox', { name: 'Database', exact: true })
  await kind.focus()
  await kind.press('ArrowDown')
  await dialog.page().getByRole('option', { name: 'SQLite' }).click()
  await dialog.getByLabel('Database file', { exact: true }).fill(file)
}

/** The grid's data rows; a virtual table adds empty spacer rows above and below them. */
function dataRows(grid: Locator): Locator {
  return grid.locator('tbody').getByRole('row').filter({ hasText: /\S/ })
}

test('connect to a SQLite file, browse it, read a table and push it with a dry run first', async ({
  sluice: page,
  dataDir,
}) => {
  test.setTimeout(120_000)
  const file = writeShop(dataDir)
  const canvas = await openNewPipeline(page, dataDir, 'connections')

  // A new connection, tested: the server (here the SQLite library) answers with its version.
  let dialog = await openConnections(page)
  await fillSqliteConnection(dialog, 'Shop', file)
  await dialog.getByRole('button', { name: 'Test connection' }).click()
  const result = dialog.getByTestId('connection-test-result')
  await expect(result).toContainText('Connected')
  await expect(result).toContainText(/SQLite \d+\.\d+/)
  await expect(result).toContainText(/answered in [\d,]+ ms/)
  await expect(dialog.getByRole('list', { name: 'Connections of the project' })).toContainText(
    'Shop',
  )
  await page.screenshot({ path: screenshotPath('connections-dialog') })

  // Browse: the file's one schema opens by itself; a table opens to its columns.
  await dialog.getByRole('tab', { name: 'Browse' }).click()
  const tree = dialog.getByRole('tree', { name: 'Tables of Shop' })
  const table = tree.getByRole('treeitem', { name: /^customers, table/ })
  await expect(table).toHaveAccessibleName('customers, table, about 3 rows')
  await tree.getByRole('button', { name: 'Open customers', exact: true }).click()
  const id = tree.getByRole('treeitem', { name: /^id, / })
  await expect(id).toContainText('INTEGER')
  await expect(id).toContainText('key')
  await expect(tree.getByRole('treeitem', { name: /^name, / })).toContainText('not null')
  await expect(tree.getByRole('treeitem', { name: /^city, / })).toContainText('nullable')
  await page.screenshot({ path: screenshotPath('connections-browse') })

  // The table as a source: a configured node, previewed with its rows.
  await table.getByRole('button', { name: 'Use as source' }).click()
  await expect(dialog).toBeHidden()
  await expect(node(canvas, 'database_1')).toBeVisible()
  const settings = page.getByRole('region', { name: 'Settings' })
  await expect(settings).toContainText('Shop')
  await expect(settings.getByLabel('Table', { exact: true })).toHaveValue('customers')
  await page.getByRole('tab', { name: 'Preview' }).click()
  const grid = page.getByRole('table', { name: 'Rows of database_1' })
  await expect(dataRows(grid)).toHaveCount(3)
  for (const row of customers) {
    await expect(grid).toContainText(row.name)
    await expect(grid).toContainText(row.city)
  }
  await page.screenshot({ path: screenshotPath('connections-source') })

  // Incremental reads switch on with a watermark column chosen from the table's own columns.
  const incremental = settings.getByRole('checkbox', { name: 'Incremental reads' })
  await incremental.check()
  const watermark = settings.getByRole('combobox', { name: 'Column', exact: true })
  await watermark.focus()
  await watermark.press('ArrowDown')
  await expect(page.getByRole('option', { name: /^id/ })).toBeVisible()
  await watermark.press('Escape')
  await incremental.uncheck()
  await expect(watermark).toBeHidden()

  // The copy table as the target, beside the source; its input drawn from the source's output.
  dialog = await openConnections(page)
  await dialog.getByRole('tab', { name: 'Browse' }).click()
  await dialog
    .getByRole('treeitem', { name: /^customers_copy, table/ })
    .getByRole('button', { name: 'Use as target' })
    .click()
  await expect(dialog).toBeHidden()
  await expect(node(canvas, 'write_database_1')).toBeVisible()
  await connect(page, output('out', 'database_1'), input('in', 'write_database_1'))
  await expect(page.getByRole('region', { name: 'Settings' })).toContainText('append')
  // The key columns offer the columns flowing in from the source.
  const keys = page.getByRole('combobox', { name: 'Key columns' })
  await keys.focus()
  await keys.press('ArrowDown')
  await expect(page.getByRole('option', { name: /^city/ })).toBeVisible()
  await keys.press('Escape')

  // A dry run says what the push would do, with a sample, and changes nothing.
  await page.getByRole('button', { name: 'Dry run' }).click()
  await expect(page.getByTestId('run-status')).toHaveText('Succeeded', { timeout: 30_000 })
  const planned = page.getByRole('region', { name: /^Push to .*customers_copy/ })
  await expect(planned).toContainText('Dry run — nothing was changed')
  await expect(planned).toContainText(/To insert\s*3/)
  await expect(planned).toContainText(/To update\s*0/)
  await expect(planned).toContainText(/To delete\s*0/)
  const sample = planned.getByRole('table', { name: 'Sample of rows to insert' })
  await expect(sample).toContainText('Zoë Ångström')
  await expect(sample).toContainText('北京')
  const pushBadge = node(canvas, 'write_database_1').getByTestId('node-status')
  await expect(pushBadge).toContainText('dry run: +3 ~0 −0')
  await page.screenshot({ path: screenshotPath('connections-dry-run') })
  expect(copiedRows(file), 'a dry run must not change the target').toEqual([])

  // The real run writes the rows, unicode intact, and says so.
  await page.getByRole('button', { name: 'Run', exact: true }).click()
  const pushed = page.getByRole('region', { name: /^Push to .*customers_copy/ })
  await expect(pushed).toContainText(/Inserted\s*3/, { timeout: 30_000 })
  await expect(page.getByTestId('run-status')).toHaveText('Succeeded')
  await expect(pushed).not.toContainText('nothing was changed')
  await expect(pushBadge).toHaveText('+3 ~0 −0')
  expect(copiedRows(file)).toEqual(customers)
  await page.screenshot({ path: screenshotPath('connections-run') })
})

test('testing a connection to a file that is not SQLite says so plainly', async ({
  sluice: page,
  dataDir,
}) => {
  const notSqlite = join(dataDir, 'orders-export.sqlite')
  writeFileSync(notSqlite, 'id,customer,amount\n1,ana,10\n2,bo,60\n')
  await openNewPipeline(page, dataDir, 'broken-connection')

  const dialog = await openConnections(page)
  await fillSqliteConnection(dialog, 'Old export', '')
  // The file, chosen with the web host's file picker, which offers SQLite files.
  await dialog.getByRole('button', { name: 'Choose… Database file' }).click()
  const picker = page.getByRole('dialog').filter({ hasText: 'Choose a file' })
  await picker.getByText(dataDir, { exact: true }).click()
  await picker.getByText('orders-export.sqlite', { exact: true }).click()
  await expect(picker).toBeHidden()
  await expect(dialog.getByLabel('Database file', { exact: true })).toHaveValue(notSqlite)
  await dialog.getByRole('button', { name: 'Test connection' }).click()
  const result = dialog.getByTestId('connection-test-result')
  await expect(result).toContainText('Cannot connect')
  await expect(result).toContainText(`${notSqlite} is not a SQLite database`)
  // A person reads a sentence, not a stack trace or an error code.
  await expect(result).not.toContainText('SQLITE_NOTADB')
  await expect(result).not.toContainText(/\bat .*\.(ts|js):\d+/)
  await page.screenshot({ path: screenshotPath('connections-test-failed') })
})

test('a server connection keeps its password out of the project and names what refused it', async ({
  sluice: page,
  dataDir,
}) => {
  await openNewPipeline(page, dataDir, 'server-connection')
  const dialog = await openConnections(page)
  await dialog.getByRole('button', { name: 'New connection' }).click()
  await dialog.getByLabel('Name', { exact: true }).fill('Warehouse')
  await expect(dialog.getByLabel('Port', { exact: true })).toHaveValue('5432')
  await dialog.getByLabel('Host', { exact: true }).fill('127.0.0.1')
  // Port 1 on this machine: nothing listens there, so the connection is refused at once.
  await dialog.getByLabel('Port', { exact: true }).fill('1')
  await dialog.getByLabel('Database name', { exact: true }).fill('sales')
  await dialog.getByLabel('User', { exact: true }).fill('analyst')
  await dialog.getByLabel('Password', { exact: true }).fill('not-in-the-project')
  await dialog.getByRole('button', { name: 'Save' }).click()

  // The web host reads secrets from its environment only, and says which variable to set.
  const refused = dialog.getByRole('alert').filter({ hasText: 'not its password' })
  await expect(refused).toContainText('set the environment variable SLUICE_SECRET_WAREHOUSE')
  await expect(dialog.getByRole('list', { name: 'Connections of the project' })).toContainText(
    'Warehouse',
  )

  // With the password from that variable, the test reaches the server's address and says why
  // it failed, naming neither password.
  await dialog.getByRole('button', { name: 'Test connection' }).click()
  const result = dialog.getByTestId('connection-test-result')
  await expect(result).toContainText('Cannot connect')
  await expect(result).toContainText('Nothing accepts connections at 127.0.0.1:1')
  await expect(result).not.toContainText('not-in-the-project')
  await expect(result).not.toContainText('e2e-secret-from-the-environment')
  await page.screenshot({ path: screenshotPath('connections-server-refused') })
})
