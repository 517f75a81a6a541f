// `npm run screenshots [-- --lang=de] [--out=screenshots]`: every page of the customer area at
// desktop (1280 px) and phone (390 px) width, in one language, written as PNGs to a folder that is
// not committed. It starts the app on an in-memory database with the tests' world (a CPO with a
// station on the map, operator vouchers), then walks through the pages in a real headless Chromium
// as a customer would: registration, login, contracts, vouchers, invoices, account, map.
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import type { Page } from 'playwright-core'
import { isLocale } from '../src/i18n/index.js'
import { browserMissing, launchBrowser, newContext } from '../test/helpers/browser.js'
import { startPortalWorld } from '../test/portal/world.js'

const { values: args } = parseArgs({
  options: { lang: { type: 'string', default: 'en' }, out: { type: 'string', default: 'screenshots' } },
})
if (!isLocale(args.lang)) {
  console.error(`--lang must be one of en, de, sl, et (got ${args.lang})`)
  process.exit(2)
}
const missing = browserMissing()
if (missing) {
  console.error(missing)
  process.exit(2)
}
const out = resolve(args.out!)
mkdirSync(out, { recursive: true })
const teardowns: (() => unknown)[] = []
const t = { teardown: (fn: () => unknown) => void teardowns.push(fn) }
const BROWSER_LOCALE = { en: 'en-GB', de: 'de-DE', sl: 'sl-SI', et: 'et-EE' } as const

let n = 0
/** The page as it is now, full length, at desktop and at phone width. */
const shot = async (page: Page, name: string) => {
  n++
  for (const [width, height, suffix] of [
    [1280, 900, 'desktop'],
    [390, 844, 'phone'],
  ] as const) {
    await page.setViewportSize({ width, height })
    const file = join(out, `${String(n).padStart(2, '0')}-${name}-${suffix}.png`)
    await page.screenshot({ path: file, fullPage: true })
  }
  await page.setViewportSize({ width: 1280, height: 900 })
  console.log(`${String(n).padStart(2, '0')} ${name}`)
}

try {
  const w = await startPortalWorld(t, { start: '2026-11-03T09:00:00.000Z' })
  await w.createVoucher('WELCOME10', { credit: '10.00' })
  await w.createVoucher('THREEMONTHS', { months: 3 })
  const browser = await launchBrowser(t)
  const context = await newContext(browser, { locale: BROWSER_LOCALE[args.lang], baseURL: w.emsp.url })
  const page = await context.newPage()
  const submit = () => page.locator('main form.stack button[type=submit]').last().click()
  const email = 'erika@example.com'
  const password = 'a-long-password-1'

  await page.goto('/portal/login')
  await shot(page, 'login')
  await page.goto('/portal/password/forgot')
  await shot(page, 'password-forgot')

  await page.goto('/portal/register')
  await submit()
  await shot(page, 'register-personal-refused')
  await page.fill('#f-name', 'Erika Mustermann')
  await page.fill('#f-email', email)
  await page.fill('#f-password', password)
  await page.fill('#f-password2', password)
  await page.fill('#f-street', 'Musterweg 1')
  await page.fill('#f-postalCode', '80331')
  await page.fill('#f-city', 'München')
  await page.selectOption('#f-country', 'DE')
  await shot(page, 'register-personal')
  await submit()
  await page.check('#f-market-0')
  await shot(page, 'register-market')
  await submit()
  await page.check('#f-tariff-0')
  await shot(page, 'register-tariff')
  await submit()
  await page.fill('#f-vin', 'WBA11AA010CH99999')
  await page.fill('#f-model', 'iX')
  await page.fill('#f-deliveryDate', '2026-10-15')
  await page.check('#f-isNew')
  await shot(page, 'register-vehicle')
  await submit()
  await page.fill('#f-voucher', 'WELCOME10')
  await page.click('button[value=check]')
  await page.check('#f-terms')
  await shot(page, 'register-confirm-voucher-checked')
  await page.click('button[value=register]')
  await shot(page, 'register-sent')
  await page.goto((await w.lastMail(email)).link)
  await shot(page, 'register-verify')
  await page.locator('main form button').click()
  await shot(page, 'register-done')

  await page.goto('/portal/login')
  await page.fill('#f-email', email)
  await page.fill('#f-password', password)
  await submit()
  await page.waitForURL('**/portal/contracts')
  const contractId = /[A-Z]{2}-BMW-C\d{8}-\d/.exec((await page.locator('main').textContent()) ?? '')![0]
  await w.emsp.admin('POST', `/contracts/${contractId}/cards`, {})
  await page.reload()
  await shot(page, 'contracts')
  await page.goto(`/portal/contracts/${contractId}/vouchers/new`)
  await page.fill('#f-code', 'THREEMONTHS')
  await page.click('button[value=check]')
  await shot(page, 'voucher-checked')
  await page.goto(`/portal/contracts/${contractId}/vehicle`)
  await shot(page, 'vehicle-edit')
  const card = await page.goto(`/portal/contracts`).then(() => page.locator('a[href*="/cards/"]').first().getAttribute('href'))
  await page.goto(card!)
  await shot(page, 'replacement-card')
  await page.goto(`/portal/contracts/${contractId}/cancel`)
  await shot(page, 'contract-deletion')

  const uid = (await w.emsp.admin('GET', `/contracts/${contractId}`)).body.tokens[0].uid as string
  await w.postCdr({
    id: 'CDR-SHOT-1',
    contractId,
    uid,
    currency: 'EUR',
    kwh: 22.5,
    start: '2026-11-10T08:00:00Z',
    end: '2026-11-10T09:10:00Z',
  })
  await w.emsp.admin('POST', '/invoice-runs', { month: '2026-11', contract_id: contractId, as_of: '2026-12-01T06:00:00Z' })
  await page.goto('/portal/invoices')
  await shot(page, 'invoices')

  await page.goto('/portal/account')
  await shot(page, 'account')
  await page.goto('/portal/account/address')
  await shot(page, 'account-address')
  await page.goto('/portal/account/payment')
  await page.check('#f-method-0')
  await page.fill('#f-iban', 'DE00 1234')
  await submit()
  await shot(page, 'account-payment-refused')
  await page.goto('/portal/account/delete')
  await shot(page, 'account-delete')

  await page.goto('/portal/map')
  await shot(page, 'map')
  await page.goto('/portal/map?place=Gent&radius=5')
  await shot(page, 'map-results')
  await page.locator('.station h3 a').first().click()
  await shot(page, 'station-prices')
  await page.goto('/portal/nothing-here')
  await shot(page, 'not-found')
  console.log(`${n} pages, ${n * 2} screenshots in ${out}`)
} finally {
  for (const fn of teardowns.reverse()) await fn()
}
