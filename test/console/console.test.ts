// The operator console in a real headless Chromium (playwright-core + Debian's chromium): sign-in
// with the admin token, every page at phone width, retry of a failed job, forms without JavaScript,
// sign-out. The world (test/metrics/world.ts) is built through the real paths.
import { createRequire } from 'node:module'
import { sql } from 'drizzle-orm'
import t from 'tap'
import { execRows } from '../../src/db/client.js'
import { browserMissing, launchBrowser, newContext } from '../helpers/browser.js'
import { ADMIN_TOKEN } from '../helpers/build-app.js'
import { FAILING_QUEUE, startOpsWorld } from '../metrics/world.js'

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js')

const PAGES = [
  { path: '/console/', nav: 'Overview', h1: 'Overview' },
  { path: '/console/partners', nav: 'Partners', h1: 'Partners' },
  { path: '/console/cdrs', nav: 'Unrated CDRs', h1: 'Unrated CDRs' },
  { path: '/console/disputes', nav: 'Disputes', h1: 'Disputes' },
  { path: '/console/jobs', nav: 'Jobs', h1: 'Jobs' },
  { path: '/console/invoices', nav: 'Invoice runs', h1: 'Invoice runs' },
  { path: '/console/charts', nav: 'Charts', h1: 'Charts' },
]

t.test('the operator console in Chromium', { skip: browserMissing() }, async (t) => {
  const world = await startOpsWorld(t)
  const { emsp } = world
  const db = emsp.database.db
  // An invoice run for May 2025 (the replayed CDRs): the DKK charge has no DKK→EUR rate, so the invoice is blocked.
  t.equal((await emsp.admin('POST', '/invoice-runs', { month: '2025-05' })).status, 202)
  await emsp.app.jobs.runDue({ queues: ['billing.invoice'] })
  const jobState = async (id: number) =>
    (
      await execRows<{ state: string; attempts: number; max_attempts: number }>(
        db,
        sql`select state, attempts, max_attempts from jobs where id = ${id}`,
      )
    )[0]!

  const browser = await launchBrowser(t)
  const phone = await newContext(browser, { phone: true, baseURL: emsp.url })
  const tab = await phone.newPage()
  const dialogs: string[] = []
  tab.on('dialog', (d) => void dialogs.push(d.message()))

  t.test('signing in with the admin token', async (t) => {
    await tab.goto('/console/partners')
    t.match(tab.url(), /\/console\/login\?next=%2Fconsole%2Fpartners$/, 'a page asks for sign-in first')
    await tab.getByLabel('Admin token').fill('not-the-admin-token')
    const refused = tab.waitForResponse((r) => r.url().endsWith('/console/login') && r.request().method() === 'POST')
    await tab.getByRole('button', { name: 'Sign in' }).click()
    t.equal((await refused).status(), 401)
    t.equal(await tab.getByRole('alert').textContent(), 'That is not the admin token.')
    await tab.getByLabel('Admin token').fill(ADMIN_TOKEN)
    await tab.getByRole('button', { name: 'Sign in' }).click()
    await tab.waitForURL('**/console/partners')
    t.equal(await tab.getByRole('heading', { level: 1 }).textContent(), 'Partners', 'back where it was going')
    const cookie = (await phone.cookies()).find((c) => c.name === 'emsp_console')
    t.match(
      cookie,
      { httpOnly: true, secure: true, sameSite: 'Strict', path: '/console' },
      'the session cookie is Secure, HTTP-only, SameSite=Strict',
    )
    t.notOk(
      (await phone.cookies()).some((c) => c.name === 'emsp_console_login'),
      'the sign-in form cookie is gone',
    )
  })

  t.test('every page: one h1, marked in the navigation, no script, fits a phone', async (t) => {
    for (const p of PAGES) {
      const res = await tab.goto(p.path)
      t.equal(res?.status(), 200, p.path)
      t.match(res?.headers()['content-security-policy'], /default-src 'none'/, `${p.path}: CSP without scripts`)
      t.equal(await tab.locator('h1').count(), 1)
      t.equal(await tab.getByRole('heading', { level: 1 }).textContent(), p.h1)
      t.equal(
        await tab.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: p.nav, exact: true }).getAttribute('aria-current'),
        'page',
      )
      t.equal(await tab.locator('script').count(), 0)
      t.ok(await tab.evaluate('document.documentElement.scrollWidth <= window.innerWidth'), `${p.path}: no sideways scrolling at 390 px`)
      t.equal(await tab.getByRole('button', { name: 'Sign out' }).count(), 1)
    }
  })

  t.test('overview', async (t) => {
    await tab.goto('/console/')
    const card = (name: RegExp) => tab.getByRole('link', { name })
    t.equal(
      await card(/unrated CDRs$/)
        .locator('.n')
        .textContent(),
      '1',
    )
    t.equal(
      await card(/^\d+\s*disputes$/)
        .locator('.n')
        .textContent(),
      '1',
    )
    t.equal(
      await card(/failed jobs$/)
        .locator('.n')
        .textContent(),
      '1',
    )
    t.equal(
      await card(/CDRs received in the last hour$/)
        .locator('.n')
        .textContent(),
      '5',
    )
  })

  t.test('partners: registration, pulls, token pushes', async (t) => {
    await tab.goto('/console/partners')
    const becharged = tab.getByRole('region', { name: /^Becharged/ })
    t.match(await becharged.getByRole('heading').textContent(), /Becharged\s+REGISTERED/)
    const pulls = becharged.getByRole('table', { name: 'Pulls from Becharged' })
    t.match(await pulls.getByRole('row', { name: /^tariffs/ }).textContent(), /2026-11-20 10:00 UTC.*completed/s)
    t.match(await pulls.getByRole('row', { name: /^locations/ }).textContent(), /never.*failed.*HTTP 404.*1 \/ 1/s)
    t.match(await becharged.textContent(), /Token pushes1 waiting \(1 retrying, oldest 4 s\), 0 given up/)
    const replay = tab.getByRole('region', { name: /^Replay CPO/ })
    t.match(await replay.textContent(), /CDRs in the last hour4 rated, 1 unrated, 0 not rated yet/)
    t.match(await replay.textContent(), /Disputes in 24 h1/)
  })

  t.test('unrated CDRs with their reasons', async (t) => {
    await tab.goto('/console/cdrs')
    const table = tab.getByRole('table', { name: /could not be rated/ })
    const row = table.getByRole('row', { name: /CDR-5/ })
    t.match(await row.textContent(), /unknown_contract.*Token UNKNOWN0001 \(RFID\) and contract .* are unknown to us/s)
    await tab.getByLabel('Reason').selectOption('unknown_contract')
    await tab.getByRole('button', { name: 'Show' }).click()
    await tab.waitForURL('**/console/cdrs?reason=unknown_contract')
    t.equal(
      await tab
        .getByRole('table', { name: /could not be rated/ })
        .getByRole('row')
        .count(),
      2,
      'header and the one CDR',
    )
  })

  t.test('disputes with the compared totals', async (t) => {
    await tab.goto('/console/disputes')
    const row = tab.getByRole('row', { name: /CDR-2/ })
    t.match(
      await row.textContent(),
      /3\.99 EUR.*total_cost excl_vat: claimed 9\.99, computed 6\.0000, difference 3\.9900 \(beyond the tolerance\).*STORED/s,
    )
  })

  t.test('jobs: a failed job, its error as text, retried from the page', async (t) => {
    await tab.goto('/console/jobs')
    const row = tab.getByRole('row', { name: new RegExp(`${FAILING_QUEUE} #${world.failedJobId}`) })
    t.match(await row.textContent(), /the partner said no <script>alert\(1\)<\/script>/, 'the error is shown as text')
    await row.getByRole('button', { name: `Retry now, job ${world.failedJobId}` }).click()
    await tab.waitForURL(`**/console/jobs?kind=failed&retried=${world.failedJobId}`)
    t.equal(await tab.getByRole('status').textContent(), `Job ${world.failedJobId} is due now and runs at the next free worker.`)
    t.same(await jobState(world.failedJobId), { state: 'pending', attempts: 1, max_attempts: 2 }, 'due again with one more attempt')
    await emsp.app.jobs.runDue({ queues: [FAILING_QUEUE] })
    t.same(await jobState(world.failedJobId), { state: 'failed', attempts: 2, max_attempts: 2 }, 'it failed again and is listed again')
    await tab.reload()
    t.match(await tab.getByRole('row', { name: new RegExp(`#${world.failedJobId}`) }).textContent(), /2 \/ 2/)
    t.same(dialogs, [], 'no script from the error ran')
  })

  t.test('invoice runs and what blocks them', async (t) => {
    await tab.goto('/console/invoices')
    t.match(
      await tab
        .getByRole('table', { name: /Invoice runs/ })
        .getByRole('row', { name: /^2025-05/ })
        .textContent(),
      /by hand\s*0\s*0\s*1\s*0/,
      'May 2025: one contract blocked',
    )
    const blocked = tab.getByRole('table', { name: 'Contracts whose invoice could not be made' })
    t.match(await blocked.getByRole('row').nth(1).textContent(), /DE-BMW-.*2025-05.*DKK.*EUR/, 'the missing exchange rate is named')
  })

  t.test('charts as SVG images with their numbers', async (t) => {
    await tab.goto('/console/charts')
    t.equal(await tab.getByRole('img', { name: /CDRs received per day and partner, last 30 days/ }).count(), 1)
    for (const currency of ['BGN', 'DKK', 'EUR'])
      t.equal(await tab.getByRole('img', { name: new RegExp(`Charges in ${currency} per day`) }).count(), 1, currency)
    t.equal(await tab.getByRole('img', { name: /Queue lag/ }).count(), 1)
    await tab.getByText('CDRs received per day and partner, last 30 days: the numbers').click()
    t.match(
      await tab
        .getByRole('row', { name: /^2026-11-20/ })
        .first()
        .textContent(),
      /2026-11-20\s*5/,
    )
    await tab.getByRole('link', { name: '7 days' }).click()
    await tab.waitForURL('**/console/charts?days=7')
    t.equal(await tab.getByRole('link', { name: '7 days' }).getAttribute('aria-current'), 'page')
  })

  t.test('no WCAG 2.1 A/AA violations found by axe-core on any page, phone and desktop', async (t) => {
    for (const phoneSized of [true, false]) {
      // axe is a script: this context alone lets it past the console's CSP.
      const ctx = await browser.newContext({
        baseURL: emsp.url,
        bypassCSP: true,
        viewport: phoneSized ? { width: 390, height: 844 } : { width: 1280, height: 900 },
      })
      const p = await ctx.newPage()
      await p.goto('/console/login')
      await p.getByLabel('Admin token').fill(ADMIN_TOKEN)
      await p.getByRole('button', { name: 'Sign in' }).click()
      await p.waitForURL('**/console/')
      for (const path of ['/console/login?probe=1', ...PAGES.map((x) => x.path)]) {
        await p.goto(path)
        await p.addScriptTag({ path: AXE })
        const violations = (await p.evaluate(
          "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }).then((r) => r.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 3) })))",
        )) as unknown[]
        t.same(violations, [], `${path} (${phoneSized ? 'phone' : 'desktop'})`)
      }
      await ctx.close()
    }
  })

  t.test('the forms work without JavaScript; signing out ends the session', async (t) => {
    const noJs = await browser.newContext({ baseURL: emsp.url, javaScriptEnabled: false, viewport: { width: 1280, height: 900 } })
    const p = await noJs.newPage()
    await p.goto('/console/jobs?kind=retrying')
    await p.getByLabel('Admin token').fill(ADMIN_TOKEN)
    await p.getByRole('button', { name: 'Sign in' }).click()
    await p.waitForURL('**/console/jobs?kind=retrying')
    const retry = p.getByRole('row', { name: /tokens\.push #\d+/ }).getByRole('button', { name: /^Retry now, job \d+$/ })
    const id = Number(/Retry now, job (\d+)/.exec((await retry.getAttribute('aria-label'))!)![1])
    await retry.click()
    await p.waitForURL(`**/console/jobs?kind=retrying&retried=${id}`)
    t.equal((await jobState(id)).state, 'pending', 'the retrying token push is due now')
    const session = (await noJs.cookies()).find((c) => c.name === 'emsp_console')!.value
    await p.getByRole('button', { name: 'Sign out' }).click()
    await p.waitForURL('**/console/login')
    const old = await emsp.app.inject({ method: 'GET', url: '/console/', headers: { cookie: `emsp_console=${session}` } })
    t.equal(old.statusCode, 303, 'the old session cookie no longer opens the console')
    t.equal(old.headers.location, '/console/login?next=%2Fconsole%2F')
    await noJs.close()
  })
})
