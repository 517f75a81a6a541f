// Monthly invoices over real HTTP: CDRs posted by a CPO are rated by the product, the invoice run
// bills them with the fees, payments change the status, vouchers and overpayments pay later
// invoices, and the PDF is read back with pdf.js (test/helpers/pdf.ts). Every amount is computed by hand from the
// German price list (Belgium AC 0.42 EUR/kWh + 0.59 session fee; Denmark AC 3.49 DKK/kWh +
// 4.49 DKK; Active base fee 4.99; IONITY Plus 7.49; replacement card 7.50), VAT DE 19 %.
import { request } from 'undici'
import t from 'tap'
import { ADMIN_TOKEN } from '../helpers/build-app.js'
import { readPdf } from '../helpers/pdf.js'
import { startWorld } from './world.js'

/** The JSON with no-break spaces (formatted amounts, dates) as plain spaces, to compare with literals. */
const plain = <T>(x: T): T => JSON.parse(JSON.stringify(x).replace(/\u00a0|\u202f/g, ' ')) as T

t.test('invoices: run, idempotence, FX, payments, vouchers over two invoices, PDF', async (t) => {
  const w = await startWorld(t, '2025-03-05T12:00:00Z')
  const { emsp } = w
  const anna = await w.customer({
    name: 'Łukasz Dvořák-Šťastný',
    email: 'lukasz@example.com',
    home_market: 'DE',
    tariff: 'ACTIVE',
    start_date: '2025-02-10',
    address: { street: 'Kaiserstraße 7', postal_code: '80801', city: 'München', country: 'DE' },
    vehicle: { vin: 'WBA11AA0X0FX00001', model: 'X1 xDrive25e', delivery_date: '2020-05-01', is_new: false },
  })
  const bob = await w.customer({
    name: 'Bob Builder',
    email: 'bob@example.com',
    home_market: 'SI',
    tariff: 'FLEX',
    start_date: '2025-03-01',
    vehicle: { vin: 'WBA11AA0X0FX00002', model: 'i4', delivery_date: '2019-05-01', is_new: false },
  })

  // March: Belgium AC 20.5 kWh → 20.5 × 0.42 = 8.61 + 0.59 = 9.20 EUR
  await w.postCdr({
    id: 'CDR-BE-1',
    contractId: anna.contractId,
    uid: anna.appUid,
    country: 'BEL',
    currency: 'EUR',
    kwh: 20.5,
    start: '2025-03-04T10:00:00Z',
    end: '2025-03-04T11:30:00Z',
  })
  // Denmark AC 10 kWh, 90 min → 10 × 3.49 = 34.90 + 4.49 = 39.39 DKK
  await w.postCdr({
    id: 'CDR-DK-1',
    contractId: anna.contractId,
    uid: anna.appUid,
    country: 'DNK',
    currency: 'DKK',
    kwh: 10,
    start: '2025-03-20T10:00:00Z',
    end: '2025-03-20T11:30:00Z',
  })

  const run = (contractId: string, month: string, asOf: string) =>
    emsp.admin('POST', '/invoice-runs', { month, contract_id: contractId, as_of: asOf })
  let march = ''

  await t.test('a month is invoiced only after it ended', async (t) => {
    t.match(await run(anna.contractId, '2025-03', '2025-03-31T23:59:59Z'), { status: 409, body: { code: 'month_not_ended' } })
    t.match(
      await emsp.admin('POST', '/invoice-runs', { month: '2025-03' }),
      { status: 409, body: { code: 'month_not_ended' } },
      'the clock says 5 March',
    )
  })

  await t.test('a session in a currency without a rate: the run is refused and no number is used', async (t) => {
    const res = await run(anna.contractId, '2025-03', '2025-04-01T03:00:00Z')
    t.equal(res.status, 409)
    t.match(res.body, { code: 'missing_exchange_rate', message: /EUR\/DKK on 2025-03-20/ })
    t.same((await emsp.admin('GET', `/invoices?contract_id=${anna.contractId}`)).body.invoices, [])
  })

  await t.test('with the rate: charging lines keep their rated lines, the DKK line shows both amounts and the rate', async (t) => {
    t.equal((await emsp.admin('PUT', '/exchange-rates/EUR/DKK/2025-01-01', { rate: '7.46' })).status, 200)
    t.equal(
      (await emsp.admin('PUT', '/exchange-rates/EUR/DKK/2025-04-01', { rate: '7.00' })).status,
      200,
      'a later rate does not apply to March',
    )
    const res = await run(anna.contractId, '2025-03', '2025-04-01T03:00:00Z')
    t.equal(res.status, 200, JSON.stringify(res.body))
    t.match(res.body, {
      created: true,
      invoice: { number: 'DE-2025-000001', month: '2025-03', issue_date: '2025-04-01', currency: 'EUR', status: 'OPEN' },
    })
    march = res.body.invoice.id
    const inv = (await emsp.admin('GET', `/invoices/${march}`)).body
    // base fee: contract from 10 Feb, so the period 10 Mar – 9 Apr begins in March
    t.same(
      inv.lines.map((l: { kind: string; amount: string; period_from: string | null }) => [l.kind, l.amount, l.period_from]),
      [
        ['BASE_FEE', '4.99', '2025-03-10'],
        ['CHARGING', '9.20', null],
        ['CHARGING', '5.28', null], // 39.39 / 7.46 = 5.2801… → 5.28
      ],
    )
    t.same(inv.lines[2].original, { amount: '39.39', currency: 'DKK', rate: '7.46', rate_valid_from: '2025-01-01' })
    t.same(
      inv.lines[1].rated_lines.map((l: { kind: string; amount: string }) => [l.kind, l.amount]),
      [
        ['energy', '8.61'],
        ['session_fee', '0.59'],
      ],
    )
    // 4.99 + 9.20 + 5.28 = 19.47; VAT 19.47 × 19/119 = 3.1086… → 3.11; net 16.36
    t.match(inv, {
      total: '19.47',
      amount_due: '19.47',
      paid: '0.00',
      amount_open: '19.47',
      vat: [{ rate: '0.19', gross: '19.47', vat: '3.11', net: '16.36' }],
    })
  })

  await t.test(
    'what an EU VAT invoice carries, in snake_case with decimal strings: seller, customer, due date, period, sessions',
    async (t) => {
      const inv = (await emsp.admin('GET', `/invoices/${march}`)).body
      t.match(inv, {
        number: 'DE-2025-000001',
        issue_date: '2025-04-01',
        due_date: '2025-04-15',
        service_period: { from: '2025-03-04', to: '2025-04-09' },
        seller: {
          name: 'Digital Charging Solutions GmbH',
          street: 'Rosenstraße 18-19',
          postal_code: '10178',
          city: 'Berlin',
          country: 'DE',
          vat_id: 'DE000000000',
        },
        customer_name: 'Łukasz Dvořák-Šťastný',
        customer_address: { street: 'Kaiserstraße 7', postal_code: '80801', city: 'München', country: 'DE' },
      })
      t.match(inv.lines[0], { kind: 'BASE_FEE', tariff: 'ACTIVE', session: null })
      // the CDR's location, the Belgian zone (no Location held: the country's), kWh and started minutes
      t.same(inv.lines[1].session, {
        start: '2025-03-04T10:00:00.000Z',
        end: '2025-03-04T11:30:00.000Z',
        time_zone: 'Europe/Brussels',
        location_name: 'Station',
        address: 'Street 1',
        city: 'City',
        country: 'BEL',
        operator: null,
        evse_id: 'BE*BEC*E041503003',
        power_type: 'AC_3_PHASE',
        kwh: '20.5',
        minutes: 90,
      })
      t.equal(inv.lines[1].rule, 'fixed_price')
      t.match(inv.lines[1].rated_lines, [
        { kind: 'energy', quantity: '20.5', unit: 'kWh', unit_price: '0.42', amount: '8.61' },
        { kind: 'session_fee', quantity: '1', unit: 'session', unit_price: '0.59', amount: '0.59' },
      ])
      const keys = (o: unknown): string[] =>
        o && typeof o === 'object' ? Object.entries(o).flatMap(([k, v]) => [...(Array.isArray(o) ? [] : [k]), ...keys(v)]) : []
      t.same(
        keys(inv).filter((k) => /[A-Z]/.test(k)),
        [],
        'no camelCase key anywhere',
      )
      // the localised document: German for a German contract (the customer chose no language)
      const doc = plain(inv.document)
      t.match(doc, {
        locale: 'de',
        title: 'Rechnung DE-2025-000001',
        status: { code: 'OPEN', label: 'Offen' },
        customer: { name: 'Łukasz Dvořák-Šťastný', address_lines: ['Kaiserstraße 7', '80801 München', 'Deutschland'] },
      })
      t.match(doc.facts, [
        { label: 'Rechnungsnummer', value: 'DE-2025-000001' },
        { label: 'Rechnungsdatum', value: '01.04.2025' },
        { label: 'Leistungszeitraum', value: '04.03.2025 – 09.04.2025' },
        { label: 'Fällig am', value: '15.04.2025' },
      ])
      t.match(doc.lines[1], {
        date: '04.03.2025',
        title: 'Ladevorgang',
        details: ['11:00–12:30 Uhr (Ortszeit)', 'Station, City', '20,5 kWh · 90 min', 'Festpreis Tarif Active, Belgien, AC-Laden'],
        amount: '9,20 €',
        vat_rate: '19 %',
      })
      t.match(plain((await emsp.admin('GET', `/invoices/${march}?lang=sl`)).body.document), {
        locale: 'sl',
        title: 'Račun DE-2025-000001',
        lines: [{ title: 'Osnovno nadomestilo, tarifa Active' }],
      })
      t.equal((await emsp.admin('GET', `/invoices/${march}?lang=fr`)).status, 400)
    },
  )

  await t.test('running it twice creates nothing new; the scheduled run of the month neither', async (t) => {
    const again = await run(anna.contractId, '2025-03', '2025-04-02T03:00:00Z')
    t.match(again.body, { created: false, invoice: { id: march, number: 'DE-2025-000001', issue_date: '2025-04-01' } })
    const queued = await emsp.admin('POST', '/invoice-runs', { month: '2025-03', as_of: '2025-04-01T03:00:00Z' })
    t.match(
      queued.body,
      { month: '2025-03', contracts: 2, enqueued: 2, invoiced: 1, pending: 1, blocked: [] },
      "Anna's invoice exists (its run was blocked by the rate until the rate came)",
    )
    t.match(
      (await emsp.admin('POST', '/invoice-runs', { month: '2025-03', as_of: '2025-04-01T04:00:00Z' })).body,
      { contracts: 2, enqueued: 0 },
      'one job per contract and month',
    )
    await emsp.app.jobs.runDue()
    const all = (await emsp.admin('GET', '/invoices?month=2025-03')).body.invoices
    t.same(
      all.map((i: { number: string }) => i.number),
      ['DE-2025-000001'],
      'Bob (Flex, no sessions) gets none; Anna still one',
    )
  })

  await t.test('payments: partial, repeated (idempotent), full with overpayment', async (t) => {
    const pay = (amount: string, reference: string) =>
      emsp.admin('POST', `/invoices/${march}/payments`, { amount, paid_on: '2025-04-05', reference })
    w.clock.set('2025-04-05T09:00:00Z')
    t.match((await pay('10.00', 'SEPA-1')).body, { status: 'PARTIALLY_PAID', paid: '10.00' })
    t.match((await pay('10.00', 'SEPA-1')).body, { status: 'PARTIALLY_PAID', paid: '10.00', payments: [{ reference: 'SEPA-1' }] })
    // 19.47 − 10.00 = 9.47 open; 12.00 paid → 2.53 over
    t.match((await pay('12.00', 'SEPA-2')).body, { status: 'PAID', paid: '22.00' })
    t.equal((await emsp.admin('POST', `/invoices/${march}/payments`, { amount: '-1', paid_on: '2025-04-05', reference: 'x' })).status, 400)
  })

  await t.test('vouchers: each refusal has its own answer; one code per contract', async (t) => {
    w.clock.set('2025-04-06T09:00:00Z')
    const voucher = (code: string, extra: Record<string, unknown>) =>
      emsp.admin('POST', '/vouchers', {
        code,
        kind: 'CREDIT',
        credit_amount: '30.00',
        currency: 'EUR',
        valid_from: '2025-04-01',
        valid_until: '2025-04-30',
        max_redemptions: 10,
        home_markets: ['DE'],
        ...extra,
      })
    t.equal((await voucher('SPRING30', {})).status, 201)
    t.equal((await voucher('SPRING30', {})).status, 409, 'codes are unique')
    await voucher('ONLYSI', { home_markets: ['SI'] })
    await voucher('OLD2024', { valid_from: '2024-01-01', valid_until: '2025-03-31' })
    await voucher('SOON', { valid_from: '2025-05-01', valid_until: '2025-05-31' })
    await voucher('ONCE', { max_redemptions: 1, home_markets: ['DE', 'SI'] })
    const redeem = (who: typeof anna, code: string) => who.app('POST', '/vouchers', { code })
    t.match(await redeem(anna, 'NOPE'), { status: 404, body: { code: 'voucher_unknown' } })
    t.match(await redeem(anna, 'OLD2024'), { status: 410, body: { code: 'voucher_expired' } })
    t.match(await redeem(anna, 'SOON'), { status: 409, body: { code: 'voucher_not_yet_valid' } })
    t.match(await redeem(anna, 'ONLYSI'), { status: 422, body: { code: 'voucher_not_for_market' } })
    t.match(await redeem(bob, 'ONCE'), { status: 201 })
    t.match(await redeem(anna, 'ONCE'), { status: 409, body: { code: 'voucher_used_up' } })
    t.match(await redeem(anna, 'spring30'), {
      status: 201,
      body: { code: 'SPRING30', kind: 'CREDIT', credit_amount: '30.00', currency: 'EUR' },
    })
    t.match(await redeem(anna, 'SPRING30'), { status: 409, body: { code: 'voucher_already_redeemed' } })
  })

  await t.test('operators maintain vouchers and exchange rates', async (t) => {
    t.match(await emsp.admin('GET', '/vouchers/once'), { status: 200, body: { code: 'ONCE', redemptions: 1, max_redemptions: 1 } })
    t.match(await emsp.admin('DELETE', '/vouchers/ONCE'), { status: 409, body: { code: 'voucher_redeemed' } })
    t.match(await emsp.admin('PATCH', '/vouchers/ONCE', { max_redemptions: 2, valid_until: '2025-05-31' }), {
      status: 200,
      body: { max_redemptions: 2, valid_until: '2025-05-31', redemptions: 1 },
    })
    t.match(await emsp.admin('PATCH', '/vouchers/ONCE', { valid_until: '2025-03-01' }), { status: 400, body: { code: 'invalid_voucher' } })
    t.equal((await emsp.admin('DELETE', '/vouchers/SOON')).status, 204)
    t.match(await emsp.admin('GET', '/vouchers/SOON'), { status: 404, body: { code: 'voucher_unknown' } })
    t.same((await emsp.admin('GET', '/vouchers')).body.vouchers.map((v: { code: string }) => v.code).sort(), [
      'OLD2024',
      'ONCE',
      'ONLYSI',
      'SPRING30',
    ])
    t.same((await emsp.admin('GET', '/exchange-rates?base=EUR')).body.rates, [
      { base: 'EUR', quote: 'DKK', valid_from: '2025-01-01', rate: '7.46' },
      { base: 'EUR', quote: 'DKK', valid_from: '2025-04-01', rate: '7' },
    ])
    t.equal((await emsp.admin('DELETE', '/exchange-rates/EUR/DKK/2025-04-01')).status, 204)
    t.match(await emsp.admin('DELETE', '/exchange-rates/EUR/DKK/2025-04-01'), { status: 404, body: { code: 'rate_not_found' } })
    t.match(await emsp.admin('PUT', '/exchange-rates/EUR/EUR/2025-04-01', { rate: '1' }), { status: 400, body: { code: 'invalid_rate' } })
  })

  await t.test('contract in the app: replacement card (fee), IONITY Plus booked and cancelled to its contract date', async (t) => {
    const card = (await emsp.admin('POST', `/contracts/${anna.contractId}/cards`, {})).body
    const replaced = await anna.app('POST', '/contract/replacement-card', { replaces_uid: card.uid })
    t.match(replaced, { status: 201, body: { fee: '7.50', currency: 'EUR' } })
    t.match(await bob.app('POST', '/contract/replacement-card', { replaces_uid: replaced.body.uid }), {
      status: 409,
      body: { code: 'token_of_other_contract' },
    })
    t.match(await anna.app('POST', '/contract/packages/ionity-plus'), {
      status: 201,
      body: { packages: [{ code: 'IONITY_PLUS', booked_at: '2025-04-06', ends_at: null }] },
    })
    t.match(await anna.app('POST', '/contract/packages/ionity-plus'), { status: 409, body: { code: 'package_already_booked' } })
    w.clock.set('2025-04-07T09:00:00Z')
    // booked on the 6th: contract date the 5th; cancelled on 7 April → ends 5 May
    t.match(await anna.app('DELETE', '/contract/packages/ionity-plus'), {
      status: 200,
      body: { packages: [{ booked_at: '2025-04-06', ends_at: '2025-05-05' }] },
    })
    const view = (await anna.app('GET', '/contract')).body
    t.match(view, {
      contract_id: anna.contractId,
      tariff: 'ACTIVE',
      vehicle: { model: 'X1 xDrive25e' },
      vouchers: [{ code: 'SPRING30', credit_left: '30.00' }],
    })
    const cards = view.cards.map((c: { visual_number: string; valid: boolean }) => [c.visual_number, c.valid]).sort()
    t.same(
      cards,
      [
        [`${anna.contractId}-01`, false],
        [`${anna.contractId}-02`, true],
      ],
      'the lost card is blocked, the new one valid',
    )
  })

  let april = ''
  await t.test('April: fees that began in the month, the card fee, the session; the overpayment and the voucher pay it', async (t) => {
    await w.postCdr({
      id: 'CDR-BE-2',
      contractId: anna.contractId,
      uid: anna.appUid,
      country: 'BEL',
      currency: 'EUR',
      kwh: 20.5,
      start: '2025-04-10T10:00:00Z',
      end: '2025-04-10T11:30:00Z',
    })
    const res = await run(anna.contractId, '2025-04', '2025-05-01T03:00:00Z')
    t.match(res.body, { created: true, invoice: { number: 'DE-2025-000002' } })
    april = res.body.invoice.id
    const inv = (await emsp.admin('GET', `/invoices/${april}`)).body
    t.same(
      inv.lines.map((l: { kind: string; amount: string }) => [l.kind, l.amount]),
      [
        ['BASE_FEE', '4.99'],
        ['PACKAGE_FEE', '7.49'],
        ['ONE_OFF', '7.50'],
        ['CHARGING', '9.20'],
      ],
    )
    // 4.99 + 7.49 + 7.50 + 9.20 = 29.18; VAT 29.18 × 19/119 = 4.6591… → 4.66
    // credits oldest first: overpayment 2.53, then the voucher 26.65 (3.35 left)
    t.match(inv, { total: '29.18', amount_due: '0.00', status: 'PAID', vat: [{ vat: '4.66', net: '24.52' }] })
    t.same(inv.credits, [
      { source: 'OVERPAYMENT', reference: `${march}:SEPA-2`, amount: '2.53' },
      { source: 'VOUCHER', reference: 'SPRING30', amount: '26.65' },
    ])
    t.match(inv.lines[2], { kind: 'ONE_OFF', one_off: { kind: 'REPLACEMENT_CARD', label: `${anna.contractId}-02` } })
    t.same(plain(inv.document.lines.map((l: { title: string; amount: string }) => `${l.title}: ${l.amount}`)), [
      'Grundgebühr Tarif Active: 4,99 €',
      'IONITY Plus Paket, Grundgebühr: 7,49 €',
      `Ersatzkarte ${anna.contractId}-02: 7,50 €`,
      'Ladevorgang: 9,20 €',
    ])
    t.same(plain(inv.document.settlement.map((r: { label: string; amount: string }) => `${r.label}: ${r.amount}`)), [
      'Guthaben aus einer Überzahlung: -2,53 €',
      'Gutschein SPRING30: -26,65 €',
      'Zu zahlender Betrag: 0,00 €',
      'Offener Betrag: 0,00 €',
    ])
  })

  await t.test('May: the rest of the voucher; the cancelled package is not billed again', async (t) => {
    const res = await run(anna.contractId, '2025-05', '2025-06-01T03:00:00Z')
    const inv = (await emsp.admin('GET', `/invoices/${res.body.invoice.id}`)).body
    t.same(
      inv.lines.map((l: { kind: string; amount: string; period_from: string }) => [l.kind, l.amount, l.period_from]),
      [['BASE_FEE', '4.99', '2025-05-10']],
    )
    // 4.99 − 3.35 = 1.64 due; VAT 4.99 × 19/119 = 0.7967… → 0.80
    t.match(inv, { number: 'DE-2025-000003', total: '4.99', amount_due: '1.64', status: 'OPEN', vat: [{ vat: '0.80', net: '4.19' }] })
    t.same(inv.credits, [{ source: 'VOUCHER', reference: 'SPRING30', amount: '3.35' }])
    t.match((await anna.app('GET', '/contract')).body.vouchers, [{ code: 'SPRING30', credit_left: '0.00' }])
  })

  await t.test("the app shows only the customer's own invoices; the PDF reads back with lines, totals and status", async (t) => {
    const list = (await anna.app('GET', '/invoices')).body.invoices
    t.same(
      list.map((i: { number: string; status: string }) => [i.number, i.status]),
      [
        ['DE-2025-000003', 'OPEN'],
        ['DE-2025-000002', 'PAID'],
        ['DE-2025-000001', 'PAID'],
      ],
    )
    t.same(plain(list[0].display), {
      month: 'Mai 2025',
      issue_date: '01.06.2025',
      due_date: '15.06.2025',
      total: '4,99 €',
      open: '1,64 €',
      status: 'Offen',
      pdf_filename: 'DE-2025-000003.pdf',
    })
    t.match(plain((await anna.app('GET', '/invoices?lang=sl')).body.invoices[1].display), {
      month: 'april 2025',
      total: '29,18 €',
      status: 'Plačano',
    })
    t.same((await bob.app('GET', '/invoices')).body.invoices, [])
    t.match(await bob.app('GET', `/invoices/${march}`), { status: 404, body: { code: 'invoice_not_found' } })
    t.equal((await bob.app('GET', `/invoices/${march}/pdf`)).status, 404)

    const pdfOf = async (path: string, jwt: string) => {
      const res = await request(`${emsp.url}${path}`, { headers: { authorization: `Bearer ${jwt}` } })
      t.equal(res.statusCode, 200)
      t.equal(res.headers['content-type'], 'application/pdf')
      return readPdf(Buffer.from(await res.body.arrayBuffer()))
    }
    const pdf = await pdfOf(`/app/v1/invoices/${march}/pdf`, await anna.jwt())
    t.ok(
      pdf.fonts.length > 0 && pdf.fonts.every((f) => f.embedded && /\+DejaVuSans/.test(f.name)),
      'DejaVu Sans embedded (as subsets), no built-in font',
    )
    const text = pdf.text
    t.match(text, /Rechnungsnummer {2}DE-2025-000001/)
    t.match(text, /Łukasz Dvořák-Šťastný\n/, 'the embedded font prints every name')
    t.match(text, /Kaiserstraße 7/)
    t.match(text, /USt-IdNr\.: DE000000000/)
    t.match(text, /Fällig am {2}15\.04\.2025/)
    t.match(text, /Status {2}Bezahlt/)
    t.match(text, /10\.03\.2025 {2}Grundgebühr Tarif Active {2}19 % {2}4,99 €\n10\.03\.2025 – 09\.04\.2025/)
    t.match(text, /04\.03\.2025 {2}Ladevorgang {2}19 % {2}9,20 €\n11:00–12:30 Uhr \(Ortszeit\)\nStation, City\n20,5 kWh · 90 min/)
    t.match(text, /Abgerechnet in DKK: 39,39 DKK, umgerechnet zum Kurs 1 EUR = 7,46\s+DKK \(gültig ab 01\.01\.2025\)/)
    t.match(text, /Gesamtbetrag inkl\. MwSt\. {2}19,47 €/)
    t.match(text, /MwSt\. 19 % auf 16,36 € {2}3,11 €/)
    t.match(text, /Zahlung vom 05\.04\.2025 \(SEPA-2\) {2}-12,00 €/)
    t.match(text, /Vollständig bezahlt\. Vielen Dank!/)
    const may = (await pdfOf(`/app/v1/invoices/${list[0].id}/pdf`, await anna.jwt())).text
    t.match(may, /Gutschein SPRING30 {2}-3,35 €/)
    t.match(may, /Zu zahlender Betrag {2}1,64 €/)
    t.match(may, /Status {2}Offen/)
    t.match(may, /Bitte zahlen Sie 1,64 € bis zum 15\.06\.2025 unter Angabe der Rechnungsnummer DE-2025-000003\./)
    const english = (await pdfOf(`/app/v1/invoices/${march}/pdf?lang=en`, await anna.jwt())).text
    t.match(english, /Invoice number {2}DE-2025-000001/)
    t.match(english, /Status {2}Paid/)
    // operators download the same PDF
    t.match((await pdfOf(`/admin/v1/invoices/${march}/pdf`, ADMIN_TOKEN)).text, /Rechnungsnummer {2}DE-2025-000001/)
  })

  await t.test("a customer's chosen language wins over the home market's", async (t) => {
    const kadri = await w.customer({
      name: 'Kadri Tamm',
      email: 'kadri@example.com',
      home_market: 'EE',
      tariff: 'ACTIVE',
      start_date: '2025-02-10',
      language: 'de',
      address: { street: 'Narva mnt 5', postal_code: '10117', city: 'Tallinn', country: 'EE' },
      vehicle: { vin: 'WBA11AA0X0FX00003', model: 'X1 xDrive25e', delivery_date: '2020-05-01', is_new: false },
    })
    const run = await emsp.admin('POST', '/invoice-runs', {
      month: '2025-03',
      contract_id: kadri.contractId,
      as_of: '2025-04-01T03:00:00Z',
    })
    t.match(run.body, { created: true, invoice: { number: 'EE-2025-000001', total: '4.99' } })
    const inv = plain((await kadri.app('GET', `/invoices/${run.body.invoice.id}`)).body)
    t.match(inv.document, {
      locale: 'de',
      customer: { address_lines: ['Narva mnt 5', '10117 Tallinn', 'Estland'] },
      lines: [{ title: 'Grundgebühr Tarif Active', vat_rate: '22 %' }],
    })
    t.match(plain((await kadri.app('GET', `/invoices/${run.body.invoice.id}?lang=et`)).body.document), {
      locale: 'et',
      lines: [{ title: 'Põhitasu, tariif Active', vat_rate: '22%' }],
    })
  })

  await t.test('account deletion: personal data pseudonymised, contract ended, invoices kept', async (t) => {
    t.equal((await anna.app('DELETE', '/account')).status, 204)
    const customer = (await emsp.admin('GET', `/customers/${anna.id}`)).body
    t.notMatch(customer.name, /Łukasz/)
    t.notMatch(customer.email, /lukasz/)
    t.equal(customer.address, null, 'the address is erased')
    t.equal(customer.contracts[0].state, 'terminated')
    t.ok(
      customer.contracts[0].tokens.every((tk: { valid: boolean }) => !tk.valid),
      'every token blocked',
    )
    t.match((await emsp.admin('GET', `/invoices/${march}`)).body, {
      number: 'DE-2025-000001',
      customer_name: 'Łukasz Dvořák-Šťastný',
      customer_address: { street: 'Kaiserstraße 7' },
      status: 'PAID',
    })
  })
})
