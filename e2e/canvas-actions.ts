import { join } from 'node:path'
import type { Locator, Page } from '@playwright/test'
import { expect } from './fixtures'

/** Creates a project in the data folder and a pipeline in it, as a person would. */
export async function openNewPipeline(
  page: Page,
  dataDir: string,
  project: string,
): Promise<Locator> {
  await page.getByRole('button', { name: 'New project' }).click()
  const creating = page.getByRole('dialog')
  const create = creating.getByRole('button', { name: 'Create' })
  const file = join(dataDir, `${project}-${Date.now()}.sluice`)
  // Seen once in CI: the typed values did not take while the dialog was still opening, and
  // Create stayed disabled. Type again until Create is enabled, as a person would.
  await expect(async () => {
    await creating.getByLabel('Project name').fill(project)
    await creating.getByLabel('Project file').fill(file)
    await expect(create).toBeEnabled({ timeout: 2_000 })
  }).toPass({ timeout: 20_000 })
  await create.click()
  await page.getByRole('button', { name: 'New pipeline' }).click()
  const naming = page.getByRole('dialog')
  await naming.getByLabel('Pipeline name').fill('orders')
  await naming.getByRole('button', { name: 'Create' }).click()
  const canvas = page.getByRole('region', { name: 'Pipeline canvas' })
  await expect(canvas).toBeVisible()
  return canvas
}

/** Drags a node kind from the palette to a point of the canvas (relative to its corner). */
export async function dragFromPalette(
  page: Page,
  canvas: Locator,
  title: string,
  to: { x: number; y: number },
): Promise<void> {
  await page
    .getByRole('button', { name: title, exact: true })
    .dragTo(canvas, { targetPosition: to })
}

export function node(canvas: Locator, id: string): Locator {
  return canvas.getByRole('group', { name: id, exact: true })
}

/** Presses the mouse on one port and lets go on another, as drawing a connection. */
export async function connect(page: Page, from: string, to: string): Promise<void> {
  const start = await page.getByLabel(from, { exact: true }).boundingBox()
  const end = await page.getByLabel(to, { exact: true }).boundingBox()
  if (!start || !end) {
    throw new Error(`cannot see the ports ${from} and ${to}`)
  }
  await page.mouse.move(start.x + start.width / 2, start.y + start.height / 2)
  await page.mouse.down()
  await page.mouse.move(end.x + end.width / 2, end.y + end.height / 2, { steps: 10 })
  await page.mouse.up()
}

export const output = (port: string, node: string): string => `Output "${port}" of ${node}`
export const input = (port: string, node: string): string => `Input "${port}" of ${node}`

/** Replaces the text of a labelled editor (a field or the SQL editor) by typing, as a person does. */
export async function typeInEditor(page: Page, label: string, text: string): Promise<void> {
  const editor = page.getByLabel(label, { exact: true })
  await editor.focus()
  await page.keyboard.press('ControlOrMeta+A')
  await page.keyboard.press('Backspace')
  if (text) {
    await page.keyboard.type(text)
  }
}
