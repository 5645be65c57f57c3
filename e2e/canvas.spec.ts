import type { Locator } from '@playwright/test'
import { connect, dragFromPalette, input, node, openNewPipeline, output } from './canvas-actions'
import { expect, screenshotPath, test } from './fixtures'

/** What the canvas shows: node names with their places, and connection names, sorted. */
async function drawn(canvas: Locator): Promise<{ nodes: string[]; edges: string[] }> {
  // A node's place is its transform, in flow coordinates: it says where the node is drawn.
  const nodes = await canvas.locator('[aria-roledescription="node"]').evaluateAll((elements) =>
    elements
      .map((element) => {
        const at = /transform:\s*([^;]+)/.exec(element.getAttribute('style') ?? '')?.[1]
        return `${element.getAttribute('aria-label')} ${at}`
      })
      .sort(),
  )
  const edges = await canvas
    .locator('[aria-roledescription="edge"]')
    .evaluateAll((elements) => elements.map((element) => element.getAttribute('aria-label')).sort())
  return { nodes, edges: edges.map(String) }
}

test('a connection the pipeline cannot take is refused with the reason', async ({
  sluice: page,
  dataDir,
}) => {
  const canvas = await openNewPipeline(page, dataDir, 'refusals')
  await expect(canvas.getByText('Drag nodes here from the palette')).toBeVisible()
  await dragFromPalette(page, canvas, 'CSV / TSV file', { x: 160, y: 120 })
  await dragFromPalette(page, canvas, 'Filter rows', { x: 460, y: 120 })
  await dragFromPalette(page, canvas, 'Write CSV', { x: 760, y: 120 })
  await dragFromPalette(page, canvas, 'CSV / TSV file', { x: 160, y: 320 })
  for (const id of ['csv_1', 'filter_1', 'write_csv_1', 'csv_2']) {
    await expect(node(canvas, id)).toBeVisible()
  }
  // A node that was just added is idle: the badge says it has not run.
  await expect(node(canvas, 'filter_1').getByTestId('node-status')).toHaveText('not run')

  await connect(page, output('out', 'csv_1'), input('in', 'filter_1'))
  await connect(page, output('out', 'filter_1'), input('in', 'write_csv_1'))
  const connected = [
    'Connection csv_1:out → filter_1:in',
    'Connection filter_1:out → write_csv_1:in',
  ]
  await expect.poll(async () => (await drawn(canvas)).edges).toEqual(connected)

  const refusal = page.getByText('A node cannot be connected to itself.')
  await connect(page, output('out', 'filter_1'), input('in', 'filter_1'))
  await expect(refusal).toBeVisible()

  await connect(page, output('out', 'csv_2'), input('in', 'filter_1'))
  await expect(page.getByText('Input "in" of "filter_1" is already connected.')).toBeVisible()

  // Drawn from the filter's output to the output of a source: sources take nothing in.
  await connect(page, output('out', 'filter_1'), output('out', 'csv_2'))
  await expect(
    page.getByText('A source has no inputs: connect its output to a transform or sink instead.'),
  ).toBeVisible()

  expect((await drawn(canvas)).edges).toEqual(connected)
  await page.screenshot({ path: screenshotPath('canvas') })

  // A connection is selected by a click and deleted with the Delete key, like a node.
  await canvas.getByRole('group', { name: 'Connection csv_1:out → filter_1:in' }).click()
  await page.keyboard.press('Delete')
  await expect.poll(async () => (await drawn(canvas)).edges).toEqual(connected.slice(1))
})

test('adding, connecting, moving and deleting undo and redo step by step', async ({
  sluice: page,
  dataDir,
}) => {
  const canvas = await openNewPipeline(page, dataDir, 'history')
  const states = [await drawn(canvas)]
  const record = async (): Promise<void> => {
    // Wait until the canvas has taken the edit, then keep what it shows.
    await expect.poll(async () => drawn(canvas)).not.toEqual(states.at(-1))
    states.push(await drawn(canvas))
  }

  await dragFromPalette(page, canvas, 'CSV / TSV file', { x: 160, y: 140 })
  await record()
  await dragFromPalette(page, canvas, 'Filter rows', { x: 460, y: 140 })
  await record()
  await dragFromPalette(page, canvas, 'Write CSV', { x: 760, y: 140 })
  await record()
  await connect(page, output('out', 'csv_1'), input('in', 'filter_1'))
  await record()
  await connect(page, output('out', 'filter_1'), input('in', 'write_csv_1'))
  await record()

  const filter = node(canvas, 'filter_1')
  const box = await filter.boundingBox()
  if (!box) {
    throw new Error('the filter is not on the canvas')
  }
  await page.mouse.move(box.x + box.width / 2, box.y + 12)
  await page.mouse.down()
  await page.mouse.move(box.x + box.width / 2 + 60, box.y + 170, { steps: 12 })
  await page.mouse.up()
  await record()

  await filter.click()
  await page.keyboard.press('Delete')
  await record()

  expect(states.map((state) => [state.nodes.length, state.edges.length])).toEqual([
    [0, 0],
    [1, 0],
    [2, 0],
    [3, 0],
    [3, 1],
    [3, 2],
    [3, 2],
    [2, 0],
  ])
  expect(states[7]?.nodes.map((entry) => entry.split(' ')[0])).toEqual(['csv_1', 'write_csv_1'])

  for (let step = states.length - 2; step >= 0; step -= 1) {
    await page.keyboard.press('Control+z')
    await expect.poll(async () => drawn(canvas)).toEqual(states[step])
  }
  for (let step = 1; step < states.length; step += 1) {
    await page.keyboard.press('Control+y')
    await expect.poll(async () => drawn(canvas)).toEqual(states[step])
  }
})

test('a CSV file dropped from the desktop becomes a CSV source; Enter adds from the palette', async ({
  sluice: page,
  dataDir,
}) => {
  const canvas = await openNewPipeline(page, dataDir, 'file-drop')
  // What the desktop hands the page when files are dropped (the spec has no DOM types).
  const files = await page.evaluateHandle(`(() => {
    const transfer = new DataTransfer()
    transfer.items.add(new File(['id,amount\\n1,2\\n'], 'orders.csv', { type: 'text/csv' }))
    transfer.items.add(new File(['x'], 'notes.txt', { type: 'text/plain' }))
    return transfer
  })()`)
  const box = await canvas.boundingBox()
  await canvas.dispatchEvent('drop', {
    dataTransfer: files,
    clientX: (box?.x ?? 0) + 300,
    clientY: (box?.y ?? 0) + 200,
  })
  await expect(node(canvas, 'csv_1')).toBeVisible()
  await expect(page.getByText('Added csv_1 for "orders.csv".')).toBeVisible()
  await expect(page.getByText('"notes.txt" cannot be read here')).toBeVisible()

  // A palette entry is also added from the keyboard, in the middle of the canvas.
  await page.getByRole('button', { name: 'Sort', exact: true }).focus()
  await page.keyboard.press('Enter')
  await expect(node(canvas, 'sort_1')).toBeInViewport()
  expect((await drawn(canvas)).nodes).toHaveLength(2)
})
