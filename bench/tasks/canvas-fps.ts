import { join } from 'node:path'
import { chromium, type Page } from '@playwright/test'
import { z } from 'zod'
import { startWebHost } from '../../src-main/hosts/web/web-host'
import { createEnvironmentSecrets, createSluiceService } from '../../src-main/service'
import { AppStore, ProjectStore } from '../../src-main/store'
import { repoRoot, reportWork, taskInput } from '../measure'
import { chainPipeline } from '../pipelines'

/**
 * Child task for case (h): the canvas's frame rate in Debian's Chromium while a person pans and
 * zooms a 200-node pipeline, from `requestAnimationFrame` timestamps. The reference is the same
 * page's frame rate with the same gestures over the start screen (no canvas).
 */
const input = taskInput(z.object({ folder: z.string(), seconds: z.number() }))

const projectPath = join(input.folder, 'canvas.sluice')
const store = ProjectStore.create(projectPath, { name: 'Canvas bench' })
store.pipelines.create({ name: 'Two hundred nodes', document: chainPipeline(200, 0) })
store.close()
const appStore = AppStore.open(join(input.folder, 'app-store.db'))
appStore.rememberProject({ path: projectPath, name: 'Canvas bench' })
const service = createSluiceService({ secrets: createEnvironmentSecrets({}), appStore })
const host = await startWebHost({ service, rendererDir: join(repoRoot, 'out', 'renderer') })
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
  ],
})

/** Frames per second over `seconds` of panning (drag) and zooming (wheel) in `area`. */
async function framesWhileMoving(page: Page, area: { x: number; y: number }): Promise<number> {
  // Browser code as text: this file is type-checked for Node, without the DOM.
  await page.evaluate(`(() => {
    window.benchFrames = []
    window.benchRecording = true
    const record = (time) => {
      window.benchFrames.push(time)
      if (window.benchRecording) requestAnimationFrame(record)
    }
    requestAnimationFrame(record)
  })()`)
  const deadline = Date.now() + input.seconds * 1000
  let step = 0
  while (Date.now() < deadline) {
    await page.mouse.move(area.x, area.y)
    await page.mouse.down()
    await page.mouse.move(area.x + 120, area.y + 40, { steps: 8 })
    await page.mouse.up()
    await page.mouse.wheel(0, step % 2 === 0 ? -240 : 240)
    step += 1
  }
  return page.evaluate<number>(`(() => {
    window.benchRecording = false
    const frames = window.benchFrames
    const span = frames[frames.length - 1] - frames[0]
    return span > 0 ? ((frames.length - 1) * 1000) / span : 0
  })()`)
}

await reportWork(async (step, note) => {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
  await page.goto(host.url)
  await page.getByText('Canvas bench').first().waitFor()
  const startFps = await framesWhileMoving(page, { x: 700, y: 600 })
  await page.getByText('Canvas bench').first().click()
  await page.getByText('Two hundred nodes').first().click()
  const nodes = page.locator('.vue-flow__node')
  await nodes.first().waitFor()
  note(`${await nodes.count()} nodes drawn on the canvas`)
  const canvas = await page.locator('.vue-flow').boundingBox()
  if (!canvas) {
    throw new Error('no canvas on the page')
  }
  const fps = await framesWhileMoving(page, {
    x: canvas.x + canvas.width / 2,
    y: canvas.y + canvas.height / 2,
  })
  // Reported as "ms" for the report's columns: the value is frames per second.
  step('canvas-fps', fps)
  step('canvas-fps:start-screen', startFps)
})
await browser.close()
await host.close()
await service.close()
appStore.close()
