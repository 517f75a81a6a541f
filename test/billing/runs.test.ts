// Invoice runs that never stall unseen (issue 17, items 4 and 5), over real HTTP: a contract older
// than the first price list is invoiced with the billed month's list; a run blocked by a missing
// exchange rate is listed with its reason, counted, answered by the run itself, and retried once
// the rate is there. Amounts from the German list: Active base fee 4.99; Denmark AC 3.49 DKK/kWh +
// 4.49 DKK session fee.
import t from 'tap'
import { ADMIN_TOKEN } from '../helpers/build-app.js'
import { BILLING_METRICS_TOKEN, startWorld } from './world.js'

const usedCar = (n: number) => ({
  vin: `WBA11AA0X0FX2${String(n).padStart(4, '0')}`,
  model: 'X3 xDrive30e',
  delivery_date: '2019-05-20',
  is_new: false,
})

t.test('invoice runs: old contracts, blocked runs, retries', async (t) => {
  const w = await startWorld(t, '2024-05-20T10:00:00Z')
  const { emsp } = w
  const lines = async (invoiceId: string) =>
    (await emsp.admin('GET', `/invoices/${invoiceId}`)).body.lines.map(
      (l: { kind: string; amount: string; period_from: string }) => `${l.kind} ${l.amount} ${l.period_from}`,
    )

  await t.test("a contract from before the first price list is invoiced with the billed month's list", async (t) => {
    // The DE list is valid from 2024-01-01; this contract started on 15 March 2023.
    const old = await w.customer({
      name: 'Old Timer',
      email: 'old@example.com',
      home_market: 'DE',
      tariff: 'ACTIVE',
      start_date: '2023-03-15',
      vehicle: usedCar(1),
    })
    const res = await emsp.admin('POST', '/invoice-runs', { month: '2024-05', contract_id: old.contractId, as_of: '2024-06-01T03:00:00Z' })
    t.equal(res.status, 200, JSON.stringify(res.body))
    t.match(res.body, { created: true, invoice: { number: 'DE-2024-000001', total: '4.99' } })
    t.same(await lines(res.body.invoice.id), ['BASE_FEE 4.99 2024-05-15'])
  })

  await t.test("new-vehicle benefits run from the contract dates, with the terms of the billed month's list", async (t) => {
    // A new iX delivered and registered in 2023 (before 31.12.2024, delivered after 19.1.2021):
    // periods beginning in the first 12 months (until 31 May 2024) are free, base fee and IONITY Plus alike.
    const fresh = await w.customer({
      name: 'New iX',
      email: 'ix@example.com',
      home_market: 'DE',
      tariff: 'ACTIVE',
      start_date: '2023-06-01',
      vehicle: { vin: 'WBA11AA0X0FX29999', model: 'iX', delivery_date: '2023-05-10', is_new: true },
      packages: [{ code: 'IONITY_PLUS', booked_at: '2023-06-01' }],
    })
    const may = await emsp.admin('POST', '/invoice-runs', {
      month: '2024-05',
      contract_id: fresh.contractId,
      as_of: '2024-06-01T03:00:00Z',
    })
    t.equal(may.status, 200, JSON.stringify(may.body))
    t.same(await lines(may.body.invoice.id), [
      'BASE_FEE 4.99 2024-05-01',
      'WAIVER -4.99 2024-05-01',
      'PACKAGE_FEE 7.49 2024-05-01',
      'WAIVER -7.49 2024-05-01',
    ])
    w.clock.set('2024-07-02T10:00:00Z')
    const june = await emsp.admin('POST', '/invoice-runs', {
      month: '2024-06',
      contract_id: fresh.contractId,
      as_of: '2024-07-01T03:00:00Z',
    })
    t.same(await lines(june.body.invoice.id), ['BASE_FEE 4.99 2024-06-01', 'PACKAGE_FEE 7.49 2024-06-01'], 'the 13th period is charged')
    // A month no price list covers cannot be priced: that run is blocked, and says why.
    const before = await emsp.admin('POST', '/invoice-runs', {
      month: '2023-12',
      contract_id: fresh.contractId,
      as_of: '2024-01-01T03:00:00Z',
    })
    t.match(before, { status: 409, body: { code: 'no_price_list', message: 'No DE price list on 2023-12-01' } })
    t.match((await emsp.admin('GET', '/blocked-invoices?month=2023-12')).body, {
      total: 1,
      blocked: [{ contract_id: fresh.contractId, month: '2023-12', reason_code: 'no_price_list', attempts: 1 }],
    })
  })

  await t.test('a missing exchange rate: the run says so, the blocked list and its counts show it, the retry invoices it', async (t) => {
    w.clock.set('2024-07-02T10:00:00Z')
    const dk = await w.customer({
      name: 'Dane Driver',
      email: 'dk@example.com',
      home_market: 'DE',
      tariff: 'FLEX',
      start_date: '2024-06-01',
      vehicle: usedCar(2),
    })
    const flex = await w.customer({
      name: 'Flex Nobody',
      email: 'flex@example.com',
      home_market: 'DE',
      tariff: 'FLEX',
      start_date: '2024-06-01',
      vehicle: usedCar(3),
    })
    // Flex in Denmark: the operator's price, 1.21 incl. VAT, in DKK
    await w.postCdr({
      id: 'CDR-DK-7',
      contractId: dk.contractId,
      uid: dk.appUid,
      country: 'DNK',
      currency: 'DKK',
      kwh: 10,
      start: '2024-06-20T10:00:00Z',
      end: '2024-06-20T11:00:00Z',
    })

    const queued = await emsp.admin('POST', '/invoice-runs', { month: '2024-06', as_of: '2024-07-01T03:00:00Z' })
    t.equal(queued.status, 202)
    // four contracts: two invoiced above already (one for June), the new two queued
    t.match(queued.body, { month: '2024-06', contracts: 4, enqueued: 4, blocked: [] })
    await emsp.app.jobs.runDue({ queues: ['billing.invoice'] })

    const status = (await emsp.admin('GET', '/invoice-runs/2024-06')).body
    t.match(status, { month: '2024-06', contracts: 4, pending: 0, invoiced: 2, nothing_to_bill: 1 })
    t.match(status.blocked, [
      {
        contract_id: dk.contractId,
        month: '2024-06',
        reason_code: 'missing_exchange_rate',
        reason: 'No exchange rate for EUR/DKK on 2024-06-20',
        details: { missing: [{ currency: 'DKK', day: '2024-06-20' }] },
        attempts: 1,
      },
    ])
    t.notOk(
      status.blocked.some((b: { contract_id: string }) => b.contract_id === flex.contractId),
      'nothing to bill is not blocked',
    )

    // the run's own answer says what it could not do, when asked again
    const again = await emsp.admin('POST', '/invoice-runs', { month: '2024-06', as_of: '2024-07-01T04:00:00Z' })
    t.match(again.body, { enqueued: 0, blocked: [{ contract_id: dk.contractId, reason_code: 'missing_exchange_rate' }] })

    const list = await emsp.ocpi('GET', '/admin/v1/blocked-invoices', { authorization: `Bearer ${ADMIN_TOKEN}` })
    t.equal(list.headers['x-total-count'], '2')
    t.same(list.body.blocked.map((b: { month: string; reason_code: string }) => `${b.month} ${b.reason_code}`).sort(), [
      '2023-12 no_price_list',
      '2024-06 missing_exchange_rate',
    ])
    t.same(
      list.body.by_reason.map((r: { reason_code: string; count: number }) => [r.reason_code, r.count]),
      [
        ['missing_exchange_rate', 1],
        ['no_price_list', 1],
      ],
    )
    t.match((await emsp.admin('GET', '/blocked-invoices?reason_code=missing_exchange_rate')).body, {
      total: 1,
      blocked: [{ contract_id: dk.contractId }],
    })
    // ... and as metrics, per reason
    const blockedMetrics = async () =>
      [
        ...((await emsp.ocpi('GET', '/metrics', { authorization: `Bearer ${BILLING_METRICS_TOKEN}` })).body as string).matchAll(
          /^emsp_invoices_blocked\{reason="([a-z_]+)"\} (\d+)$/gm,
        ),
      ].map((m) => `${m[1]} ${m[2]}`)
    t.same(await blockedMetrics(), ['missing_exchange_rate 1', 'no_price_list 1'], 'emsp_invoices_blocked per reason')

    t.match(await emsp.admin('POST', '/invoice-runs/2024-07/retry', {}), { status: 409, body: { code: 'month_not_ended' } })
    // the job retries hourly; a retry now is refused the same way and counts the attempt
    t.match((await emsp.admin('POST', '/invoice-runs/2024-06/retry', {})).body, { blocked: [{ contract_id: dk.contractId, attempts: 2 }] })
    t.equal((await emsp.admin('PUT', '/exchange-rates/EUR/DKK/2024-01-01', { rate: '7.46' })).status, 200)
    const retried = await emsp.admin('POST', '/invoice-runs/2024-06/retry', { as_of: '2024-07-01T03:00:00Z' })
    t.match(retried.body, { month: '2024-06', invoiced: 3, blocked: [] })
    // 1.21 DKK / 7.46 = 0.1621… → 0.16 EUR
    const [inv] = (await emsp.admin('GET', `/invoices?contract_id=${dk.contractId}`)).body.invoices
    t.match(inv, { month: '2024-06', total: '0.16', issue_date: '2024-07-01', status: 'OPEN' })
    t.match((await emsp.admin('GET', '/blocked-invoices')).body, { total: 1, by_reason: [{ reason_code: 'no_price_list', count: 1 }] })
    t.same(await blockedMetrics(), ['no_price_list 1'], 'the unblocked reason leaves the metric')
    // the job, still scheduled for its hourly retry, finds the invoice and adds nothing
    w.clock.set('2024-07-02T12:00:00Z')
    await emsp.app.jobs.runDue({ queues: ['billing.invoice'] })
    t.equal((await emsp.admin('GET', `/invoices?contract_id=${dk.contractId}`)).body.invoices.length, 1)
  })
})
