import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { ProjectStore } from '../src-main/store'
import type { Pipeline } from '../src-shared/pipeline'
import { connect, dragFromPalette, input, node, openNewPipeline, output } from './canvas-actions'
import { expect, screenshotPath, test, writeCsv } from './fixtures'

/**
 * Data quality as a person meets it: draw source → not-null check → sink, run it, read the
 * check's badge and its rule in the quality panel; then make the rule block and see the push
 * stopped, the run blocked and the file untouched. A second spec writes a validate suite's rules
 * as YAML; a third runs a suite behind a quality gate that closes.
 */

/** Six customers, two without an email (ids 2 and 4). */
const customers = [
  'id,customer,email',
  '1,ann,ann@example.com',
  '2,bob,',
  '3,cy,cy@example.com',
  '4,dee,',
  '5,ed,ed@example.com',
  '6,fu,fu@example.com',
].join('\n')

/** Picks `option` in the labelled select of the config panel, from the keyboard. */
async function choose(page: Page, label: string, option: string): Promise<void> {
  const select = page.getByRole('combobox', { name: label })
  await select.focus()
  await select.press('ArrowDown')
  await page.getByRole('option', { name: option, exact: true }).click()
}

async function runAndWait(page: Page, status: string): Promise<void> {
  await page.getByRole('button', { name: 'Run', exact: true }).click()
  await page.getByRole('tab', { name: 'Run log' }).click()
  await expect(page.getByTestId('run-status')).toHaveText(status, { timeout: 30_000 })
}

test('a not-null check reports its rule on the badge and in the quality panel, then blocks the push', async ({
  sluice: page,
  dataDir,
}) => {
  const csv = writeCsv('quality-customers.csv', customers)
  const written = join(dataDir, 'quality-customers-out.csv')
  const canvas = await openNewPipeline(page, dataDir, 'quality')
  await dragFromPalette(page, canvas, 'CSV / TSV file', { x: 140, y: 140 })
  await dragFromPalette(page, canvas, 'Check: not null', { x: 440, y: 140 })
  await dragFromPalette(page, canvas, 'Write CSV', { x: 780, y: 140 })
  await connect(page, output('out', 'csv_1'), input('in', 'not_null_1'))
  await connect(page, output('pass', 'not_null_1'), input('in', 'write_csv_1'))

  await node(canvas, 'csv_1').click()
  await page.getByLabel('File', { exact: true }).fill(csv)
  await node(canvas, 'write_csv_1').click()
  await page.getByLabel('File', { exact: true }).fill(written)

  // The check: email must be there, and a miss only warns.
  await node(canvas, 'not_null_1').click()
  await expect(page.getByLabel('Rule name', { exact: true })).toHaveValue('not-null')
  const columns = page.getByRole('combobox', { name: 'Columns' })
  await columns.click()
  await page.getByRole('option', { name: 'email' }).click()
  await page.keyboard.press('Escape')
  await choose(page, 'Severity', 'warn')

  await runAndWait(page, 'Succeeded')
  await expect(node(canvas, 'not_null_1').getByTestId('quality-badge')).toHaveText('1 warned')
  await expect(node(canvas, 'write_csv_1').getByTestId('node-status')).toContainText('4 rows')
  const firstOutput = readFileSync(written, 'utf8')
  expect(firstOutput.trim().split('\n')).toEqual([
    'id,customer,email',
    '1,ann,ann@example.com',
    '3,cy,cy@example.com',
    '5,ed,ed@example.com',
    '6,fu,fu@example.com',
  ])

  // The quality panel: the rule's row with its counts and message, and the failing rows.
  await node(canvas, 'not_null_1').click()
  await page.getByRole('tab', { name: 'Quality' }).click()
  const rules = page.getByRole('table', { name: 'Rules of not_null_1' })
  const row = rules.getByRole('row').filter({ hasText: 'not-null' }).first()
  await expect(row).toContainText('Warned')
  await expect(row).toContainText('2 / 6')
  await expect(row).toContainText('2 of 6 tested rows fail (66.7% pass)')
  await rules.getByRole('button', { name: 'Show failing rows of not-null' }).click()
  const samples = page.getByRole('table', { name: 'Failing rows of not-null' })
  await expect(samples).toContainText('bob')
  await expect(samples).toContainText('dee')
  await expect(samples).not.toContainText('ann')
  // Completeness: the rule's pass rate 4/6 and each column's non-null share (1, 1, 4/6).
  await expect(page.getByTestId('quality-score')).toHaveText('83.3')
  await expect(page.getByRole('region', { name: 'Score by dimension' })).toContainText(
    'Completeness',
  )
  await page.screenshot({ path: screenshotPath('quality-panel') })

  // Now a miss blocks: the run ends blocked, the sink did not run, the file is as it was.
  await page.getByRole('tab', { name: 'Preview' }).click()
  await choose(page, 'Severity', 'block')
  await runAndWait(page, 'Blocked by quality gate')
  await expect(node(canvas, 'not_null_1').getByTestId('quality-badge')).toHaveText('blocked')
  await expect(node(canvas, 'write_csv_1').getByTestId('node-status')).toHaveText(
    'Blocked by quality gate',
  )
  await expect(page.getByTestId('toolbar-run-status')).toHaveText('Blocked by quality gate')
  expect(readFileSync(written, 'utf8')).toBe(firstOutput)

  // Two runs make a trend; the panel says why the push stopped.
  await node(canvas, 'not_null_1').click()
  await page.getByRole('tab', { name: 'Quality' }).click()
  await expect(page.getByTestId('quality-decision')).toContainText('stopped')
  await expect(
    page.getByRole('img', { name: 'Quality score of not_null_1 across runs' }),
  ).toBeVisible()
  // The tabs slide; the screenshot waits until the log has gone.
  await expect(page.getByRole('log')).toBeHidden()
  await page.screenshot({ path: screenshotPath('quality-trend') })
  await page.getByRole('tab', { name: 'History' }).click()
  await expect(page.getByRole('table', { name: 'Runs of this pipeline' })).toContainText(
    'Blocked by quality gate',
  )
  await page.getByRole('button', { name: 'Details of the run' }).first().click()
  const details = page.getByRole('table', { name: 'Details of the run' })
  await expect(details.getByRole('row', { name: /^Select node not_null_1/ })).toContainText(
    'blocked',
  )
  await expect(details.getByRole('row', { name: /^Select node write_csv_1/ })).toContainText(
    'Blocked',
  )
  await page.screenshot({ path: screenshotPath('quality-blocked') })
})

test('a validate suite imports its rules from YAML, names the rule a mistake is in, and exports them', async ({
  sluice: page,
  dataDir,
}) => {
  await openNewPipeline(page, dataDir, 'quality-suite')
  const canvas = page.getByRole('region', { name: 'Pipeline canvas' })
  await dragFromPalette(page, canvas, 'Validate (rule suite)', { x: 300, y: 140 })
  await node(canvas, 'validate_1').click()
  const editor = page.getByTestId('rule-suite-editor')
  const importYaml = async (name: string, yaml: string): Promise<void> => {
    await page
      .getByLabel('Import YAML…', { exact: true })
      .setInputFiles({ name, mimeType: 'application/yaml', buffer: Buffer.from(yaml) })
  }

  // A rule without the column it checks: the message names the rule and the field.
  await importYaml('broken.yaml', 'rules:\n  - name: email present\n    check: not-null\n')
  await expect(editor).toContainText('rule 1 ("email present")')
  await expect(editor).toContainText('columns')

  await importYaml(
    'customers.yaml',
    [
      'rules:',
      '  - name: email present',
      '    check: not-null',
      '    columns: [email]',
      '  - name: known customer',
      '    check: accepted-values',
      '    column: customer',
      '    values: [ann, bob, cy]',
      '    severity: warn',
    ].join('\n'),
  )
  await expect(editor.getByRole('status')).toHaveText('2 rules applied')
  await expect(editor).not.toContainText('rule 1 ("email present")')
  await page.getByRole('tab', { name: /Problems/ }).click()
  await expect(page.getByText(/validate_1.*add at least one rule/)).toBeHidden()

  // Export writes what the node now holds, as the service lays it out.
  const downloading = page.waitForEvent('download')
  await editor.getByRole('button', { name: 'Export YAML' }).click()
  const download = await downloading
  expect(download.suggestedFilename()).toBe('validate_1.yaml')
  const saved = readFileSync(await download.path(), 'utf8')
  expect(saved).toContain('name: email present')
  expect(saved).toContain('columns: [email]')
  expect(saved).toContain('values: [ann, bob, cy]')
  await page.screenshot({ path: screenshotPath('quality-rule-editor') })
})

/** CSV → validate suite (warn-only rules) → gate (minimum score 95) → CSV, saved with the store. */
function seedGatedProject(dataDir: string, csv: string, written: string): void {
  const path = join(dataDir, 'quality-gate.sluice')
  rmSync(path, { force: true })
  rmSync(written, { force: true })
  const at = (x: number) => ({ x, y: 0 })
  const document: Pipeline = {
    formatVersion: 1,
    name: 'Gated customers',
    parameters: {},
    nodes: [
      { id: 'customers', kind: 'source.csv', position: at(0), config: { path: csv } },
      {
        id: 'suite',
        kind: 'quality.validate',
        position: at(260),
        config: {
          rules: [
            { name: 'email present', check: 'not-null', columns: ['email'], severity: 'warn' },
            { name: 'id unique', check: 'unique', columns: ['id'], severity: 'warn' },
          ],
          weights: {},
        },
      },
      { id: 'gate', kind: 'quality.gate', position: at(520), config: { minScore: 95 } },
      { id: 'write', kind: 'sink.csv', position: at(780), config: { path: written } },
    ],
    edges: [
      { from: { node: 'customers', port: 'out' }, to: { node: 'suite', port: 'in' } },
      { from: { node: 'suite', port: 'pass' }, to: { node: 'gate', port: 'in' } },
      { from: { node: 'gate', port: 'out' }, to: { node: 'write', port: 'in' } },
    ],
  }
  const store = ProjectStore.create(path, { name: 'Quality gate' })
  try {
    const created = store.pipelines.create({ name: 'Gated customers', document })
    store.pipelines.saveVersion(created.id, { message: 'seeded by the spec' })
  } finally {
    store.close()
  }
}

test('a quality gate below its minimum score stops the push and says why', async ({
  sluice: page,
  dataDir,
}) => {
  const csv = writeCsv('quality-gate.csv', customers)
  const written = join(dataDir, 'quality-gate-out.csv')
  seedGatedProject(dataDir, csv, written)
  await page.getByRole('button', { name: 'Open project…' }).click()
  const picker = page.getByRole('dialog')
  await picker.getByText(dataDir, { exact: true }).click()
  await picker.getByText('quality-gate.sluice', { exact: true }).click()
  await expect(picker).toBeHidden()
  await page.getByText('Gated customers', { exact: true }).click()
  const canvas = page.getByRole('region', { name: 'Pipeline canvas' })

  await runAndWait(page, 'Blocked by quality gate')
  // email present: 2 of 6 fail (warned); id unique: all pass. The score is the mean of
  // completeness (4/6 for the rule; 1, 1 and 4/6 for the columns: 83.3) and uniqueness (100).
  await expect(node(canvas, 'suite').getByTestId('quality-badge')).toHaveText('1 warned')
  await expect(node(canvas, 'gate').getByTestId('quality-badge')).toHaveText('Gate closed')
  await expect(node(canvas, 'write').getByTestId('node-status')).toHaveText(
    'Blocked by quality gate',
  )
  expect(existsSync(written), 'a blocked push must not write its file').toBe(false)

  await node(canvas, 'gate').click()
  await page.getByRole('tab', { name: 'Quality' }).click()
  const decision = page.getByTestId('quality-decision')
  await expect(decision).toContainText('Gate closed')
  await expect(decision).toContainText('below the minimum 95')
  await expect(page.getByTestId('quality-score')).toHaveText('91.7')

  await node(canvas, 'suite').click()
  const rules = page.getByRole('table', { name: 'Rules of suite' })
  await expect(rules.getByRole('row').filter({ hasText: 'email present' })).toContainText('2 / 6')
  await expect(rules.getByRole('row').filter({ hasText: 'id unique' })).toContainText('Passed')
  await expect(page.getByRole('log')).toBeHidden()
  await page.screenshot({ path: screenshotPath('quality-gate') })
})
