import { expect, screenshotPath, test } from './fixtures'

test('the app opens with the session token', async ({ sluice }) => {
  await expect(sluice).toHaveTitle('Sluice')
  // The token moved into a cookie and out of the address bar.
  expect(new URL(sluice.url()).search).toBe('')
  await sluice.screenshot({ path: screenshotPath('start') })
})

test('without the token the web host answers 403', async ({ browser }) => {
  const stranger = await browser.newContext()
  const page = await stranger.newPage()
  const response = await page.goto('/')
  expect(response?.status()).toBe(403)
  await expect(
    page.getByText('Open the address that was printed when Sluice started'),
  ).toBeVisible()
  await stranger.close()
})
