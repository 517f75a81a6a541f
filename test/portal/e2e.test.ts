// The customer area end to end in a real headless Chromium, in German (the browser's language):
// registration with an operator's voucher, the e-mail link, login, the contract with the voucher,
// adding a second voucher ("Check voucher" first), a month of charging invoiced and its PDF
// downloaded and read, the address changed, the account deleted.
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { browserMissing, launchBrowser, newContext } from '../helpers/browser.js'
import { readPdf } from '../helpers/pdf.js'
import { startPortalWorld } from './world.js'

t.test(
  'register with a voucher, log in, add a voucher, download an invoice, change the address, delete the account',
  { skip: browserMissing() },
  async (t) => {
    const w = await startPortalWorld(t, { start: '2026-11-03T09:00:00.000Z' })
    await w.createVoucher('WILLKOMMEN10', { credit: '10.00' })
    await w.createVoucher('DREIMONATE', { months: 3 })
    const browser = await launchBrowser(t)
    const context = await newContext(browser, { locale: 'de-DE', baseURL: w.emsp.url })
    const page = await context.newPage()
    const field = (label: string) => page.getByLabel(label, { exact: true })
    /**
     * What every page must be: each control labelled, the skip link the first keyboard stop, nothing
     * wider than a phone (390 px).
     */
    const checkPage = async (name: string) => {
      // Expressions run in the page (the tests compile without the DOM types).
      const unlabelled = await page.evaluate(
        "[...document.querySelectorAll('input:not([type=hidden]), select, textarea')].filter((e) => !e.labels?.length).map((e) => e.name)",
      )
      t.same(unlabelled, [], `${name}: every control has a label`)
      await page.keyboard.press('Tab')
      t.equal(await page.evaluate('document.activeElement?.className'), 'skip', `${name}: the first Tab reaches "skip to content"`)
      await page.setViewportSize({ width: 390, height: 844 })
      t.ok(await page.evaluate('document.documentElement.scrollWidth <= 390'), `${name}: nothing wider than a phone`)
      await page.setViewportSize({ width: 1280, height: 900 })
    }

    // 1. Personal data (a refused field first: the message is next to it)
    await page.goto('/portal/register')
    t.equal(await page.getAttribute('html', 'lang'), 'de', 'the browser asked for German')
    await checkPage('registration')
    await field('Vor- und Nachname').fill('Erika Mustermann')
    await field('E-Mail-Adresse').fill('erika@example')
    await field('Passwort').fill('geheim-und-lang-1')
    await field('Passwort wiederholen').fill('geheim-und-lang-1')
    await field('Straße und Hausnummer').fill('Musterweg 1')
    await field('Postleitzahl').fill('80331')
    await field('Ort').fill('München')
    await field('Land').selectOption('DE')
    await page.getByRole('button', { name: 'Weiter' }).click()
    t.match(await page.locator('#f-email-error').textContent(), /gültige E-Mail-Adresse/, 'the refusal is next to the field')
    t.equal(await page.getAttribute('#f-email', 'aria-invalid'), 'true')
    await field('E-Mail-Adresse').fill('erika@example.com')
    await field('Passwort').fill('geheim-und-lang-1')
    await field('Passwort wiederholen').fill('geheim-und-lang-1')
    await page.getByRole('button', { name: 'Weiter' }).click()

    // 2. Home market, 3. tariff with the market's prices shown before choosing
    await field('Deutschland').check()
    await page.getByRole('button', { name: 'Weiter' }).click()
    const tariffText = await page.locator('main').textContent()
    t.match(tariffText, /0,36\s€ pro kWh/, 'the German list: AC 0.36 EUR/kWh')
    t.match(tariffText, /4,99\s€ pro Monat/, 'the Active base fee')
    await checkPage('tariff')
    await field('Active').check()
    await page.getByRole('button', { name: 'Weiter' }).click()

    // 4. Vehicle
    await field('Fahrzeug-Identifizierungsnummer (FIN)').fill('wba11aa010ch99999')
    await field('Modell').fill('i4')
    await field('Auslieferungsdatum').fill('2026-10-15')
    await page.getByRole('button', { name: 'Weiter' }).click()

    // 5. Vouchers in the last step: "Check voucher" says what the code gives before anything is redeemed
    t.match(await page.locator('main').textContent(), /WBA11AA010CH99999/, 'the VIN as entered, upper-cased')
    await field('Gutscheincode').fill('GIBTSNICHT')
    await page.getByRole('button', { name: 'Gutschein prüfen' }).click()
    t.match(await page.locator('#f-voucher-error').textContent(), /kennen wir nicht/)
    await field('Gutscheincode').fill('willkommen10')
    await page.getByRole('button', { name: 'Gutschein prüfen' }).click()
    t.match(await page.getByRole('status').textContent(), /WILLKOMMEN10: ein Guthaben von 10,00\s€/)
    await checkPage('vouchers and confirmation')
    await page.getByRole('button', { name: 'Registrieren', exact: true }).click()
    t.match(await page.locator('#f-terms-error').textContent(), /akzeptieren/, 'the terms must be accepted')
    await page.getByLabel(/Ich akzeptiere die Nutzungsbedingungen/).check()
    await page.getByRole('button', { name: 'Registrieren', exact: true }).click()
    t.match(await page.locator('h1').textContent(), /Bitte bestätigen Sie Ihre E-Mail-Adresse/)

    // The e-mail (the outbox an operator reads, in German) → the link → confirm
    const mail = await w.lastMail('erika@example.com')
    t.match(mail.subject, /Registrierung bei BMW Charging/)
    await page.goto(mail.link)
    await page.getByRole('button', { name: 'Bestätigen und Vertrag anlegen' }).click()
    const done = await page.locator('main').textContent()
    const contractId = /DE-BMW-C\d{8}-\d/.exec(done ?? '')?.[0]
    t.ok(contractId, `contract created: ${contractId}`)
    t.match(done, /Gutschein WILLKOMMEN10 wurde eingelöst/)

    // Log in (a wrong password first)
    await page.getByRole('link', { name: 'Anmelden' }).first().click()
    await field('E-Mail-Adresse').fill('erika@example.com')
    await field('Passwort').fill('falsch-falsch-falsch')
    await page.getByRole('button', { name: 'Anmelden' }).click()
    t.match(await page.locator('#f-password-error').textContent(), /nicht korrekt/)
    await field('Passwort').fill('geheim-und-lang-1')
    await page.getByRole('button', { name: 'Anmelden' }).click()
    await page.waitForURL('**/portal/contracts')
    const contracts = await page.locator('main').textContent()
    t.match(contracts, new RegExp(`Vertrag ${contractId}`), 'the contract')
    t.match(contracts, /WILLKOMMEN10/, 'the voucher of the registration')
    t.match(contracts, /10,00\s€/, 'with its credit left')
    await checkPage('contracts')
    const cookies = await context.cookies()
    t.match(
      cookies.find((c) => c.name === '__Host-portal'),
      { httpOnly: true, secure: true, sameSite: 'Lax' },
      'the session cookie is secure and HTTP-only',
    )

    // Add a voucher: code → Check voucher (what it gives) → Redeem
    await page.getByRole('link', { name: 'Gutschein hinzufügen' }).click()
    await field('Gutscheincode').fill('DREIMONATE')
    await page.getByRole('button', { name: 'Gutschein prüfen' }).click()
    t.match(await page.getByRole('status').textContent(), /DREIMONATE: 3 Monate ohne Grundgebühr/)
    await page.getByRole('button', { name: 'Gutschein einlösen' }).click()
    await page.waitForURL('**/portal/contracts?done=voucherRedeemed')
    t.match(await page.locator('.notice').textContent(), /Gutschein wurde eingelöst/)
    t.match(await page.locator('main').textContent(), /DREIMONATE/)

    // A month of charging: the CPO sends two CDRs in November (each physically plausible for the 10.56 kW connector,
    // received after it ended); the December run invoices them
    const uid = (await w.emsp.admin('GET', `/contracts/${contractId}`)).body.tokens[0].uid as string
    await w.postCdr({
      id: 'CDR-E2E-1',
      contractId: contractId!,
      uid,
      currency: 'EUR',
      kwh: 20,
      start: '2026-11-10T08:00:00Z',
      end: '2026-11-10T10:10:00Z',
    })
    await w.postCdr({
      id: 'CDR-E2E-2',
      contractId: contractId!,
      uid,
      currency: 'EUR',
      kwh: 30,
      start: '2026-11-20T17:00:00Z',
      end: '2026-11-20T19:55:00Z',
    })
    w.clock.set('2026-12-01T06:00:00.000Z')
    const run = await w.emsp.admin('POST', '/invoice-runs', { month: '2026-11', contract_id: contractId })
    t.equal(run.body.created, true, 'invoice issued')
    const number = run.body.invoice.number as string

    // A month later the session has long expired: the customer logs in again and comes back to the invoices
    await page.getByRole('link', { name: 'Rechnungen' }).click()
    await page.waitForURL('**/portal/login?next=%2Fportal%2Finvoices')
    await field('E-Mail-Adresse').fill('erika@example.com')
    await field('Passwort').fill('geheim-und-lang-1')
    await page.getByRole('button', { name: 'Anmelden' }).click()
    await page.waitForURL('**/portal/invoices')
    const row = page.getByRole('row', { name: new RegExp(number) })
    t.match(await row.textContent(), /November 2026/, 'the month in German')
    t.match(await row.textContent(), /Offen|Bezahlt/, 'the status')
    await checkPage('invoices')
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: `Rechnung ${number} als PDF herunterladen` }).click(),
    ])
    const dir = mkdtempSync(join(tmpdir(), 'portal-e2e-'))
    const pdfPath = join(dir, download.suggestedFilename())
    await download.saveAs(pdfPath)
    t.equal(download.suggestedFilename(), `${number}.pdf`)
    const pdf = await readPdf(new Uint8Array(readFileSync(pdfPath)))
    t.equal(pdf.language, 'de-DE', 'the PDF in the language of the page')
    t.match(pdf.text, new RegExp(`Rechnungsnummer\\s+${number}`), 'the invoice, in German')
    t.match(pdf.text, /10\.11\.2026\s+Ladevorgang\s+19 %\s+8,99 €/, "the month's charging sessions, one line each")
    t.match(pdf.text, /Gutschein DREIMONATE/, 'the voucher added in the customer area')
    t.match(
      pdf.text,
      /Erika Mustermann[\s\S]*Musterweg 1[\s\S]*80331 München/,
      'addressed to the customer, at the address of the registration',
    )
    t.match(pdf.text, /Fällig am/, 'with its due date')

    // Change the address
    await page.getByRole('link', { name: 'Konto' }).click()
    await page.getByRole('link', { name: 'Adressdaten ändern' }).click()
    await field('Postleitzahl').fill('8')
    await page.getByRole('button', { name: 'Speichern' }).click()
    t.match(await page.locator('#f-postalCode-error').textContent(), /gültige Postleitzahl/)
    await field('Straße und Hausnummer').fill('Neue Straße 7')
    await field('Postleitzahl').fill('10115')
    await field('Ort').fill('Berlin')
    await page.getByLabel(/Telefonnummer/).fill('+49 30 1234567')
    await page.getByRole('button', { name: 'Speichern' }).click()
    await page.waitForURL('**/portal/account?done=addressSaved')
    const account = await page.locator('main').textContent()
    t.match(account, /Neue Straße 7/)
    t.match(account, /10115 Berlin/)
    await checkPage('account')
    await page.goto('/portal/map?place=Gent')
    await checkPage('map')
    await page.goto('/portal/account')

    // Delete the account: the page says what is erased and what the law keeps
    await page.getByRole('link', { name: 'Konto löschen …' }).click()
    t.match(await page.locator('main').textContent(), /Rechnungen .* bleibt erhalten|bleibt erhalten: Ihre Rechnungen/)
    await field('Ihr Passwort zur Bestätigung').fill('geheim-und-lang-1')
    await page.getByRole('button', { name: 'Mein Konto löschen' }).click()
    await page.waitForURL('**/portal/login?done=accountDeleted')
    t.match(await page.locator('.notice').textContent(), /Konto wurde gelöscht/)
    await page.goto('/portal/contracts')
    t.match(page.url(), /\/portal\/login\?next=/, 'logged out')

    const customer = (await w.emsp.admin('GET', `/contracts/${contractId}`)).body
    t.equal(customer.state, 'terminated', 'the contract ended')
    const invoices = (await w.emsp.admin('GET', `/invoices?contract_id=${contractId}`)).body.invoices
    t.equal(invoices.length, 1, 'the invoice is kept')
  },
)
