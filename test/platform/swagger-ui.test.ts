// Issue 17 item 7, as an operator meets it: in Swagger UI (/docs, real Chromium) "Authorize" offers
// each surface's scheme, and "Try it out" then sends the credential: GET /admin/v1/partners answers 200.
import t from 'tap'
import { browserMissing, launchBrowser, newContext } from '../helpers/browser.js'
import { ADMIN_TOKEN, startTestApp } from '../helpers/build-app.js'

t.test('Swagger UI "Try it out" authenticates with the admin bearer', { skip: browserMissing() }, async (t) => {
  const emsp = await startTestApp(t)
  await emsp.admin('POST', '/partners', { name: 'Visible through the docs' })
  const browser = await launchBrowser(t)
  const page = await (await newContext(browser, { baseURL: emsp.url })).newPage()
  await page.goto('/docs')
  await page.locator('button.authorize').first().click()
  const schemes = page.locator('.auth-container h4')
  await schemes.first().waitFor()
  const names = (await schemes.allTextContents()).map((s) => s.trim().split(/\s/)[0])
  t.same(names.sort(), ['adminBearer', 'appJwt', 'metricsBearer', 'ocpiToken'], 'the four schemes are offered')
  const admin = page.locator('.auth-container').filter({ has: page.locator('h4', { hasText: 'adminBearer' }) })
  await admin.locator('input').fill(ADMIN_TOKEN)
  await admin.locator('button.authorize').click()
  await page.locator('button.btn-done').first().click()

  const operation = page
    .locator('.opblock-get')
    .filter({ has: page.locator('[data-path="/admin/v1/partners"]') })
    .first()
  await operation.locator('.opblock-summary').click()
  await operation.locator('button.try-out__btn').click()
  await operation.locator('button.execute').click()
  const status = operation.locator('.live-responses-table tr.response .response-col_status').first()
  await status.waitFor()
  t.equal((await status.textContent())?.trim(), '200', 'the request carried the bearer')
  t.match(await operation.locator('.live-responses-table').textContent(), /Visible through the docs/)
})
