// The scheduled invoice run through the job runner, gapless numbers per home market under
// concurrent runs, new-vehicle and voucher waivers starting and ending, over real HTTP.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { sql } from 'drizzle-orm'
import t from 'tap'
import { execRows } from '../../src/db/client.js'
import { ADMIN_TOKEN } from '../helpers/build-app.js'
import { startWorld } from './world.js'
import { TS_NODE_ARGS } from '../helpers/script.js'

const vehicle = (n: number, model = 'X3 xDrive30e', isNew = false) => ({
  vin: `WBA11AA0X0FX1${String(n).padStart(4, '0')}`,
  model,
  delivery_date: '2025-05-20',
  is_new: isNew,
})

t.test('the monthly run as scheduled jobs; numbering; waivers', async (t) => {
  const w = await startWorld(t, '2025-06-15T10:00:00Z')
  const { emsp } = w
  const db = emsp.database.db
  const de: Awaited<ReturnType<typeof w.customer>>[] = []
  for (let i = 1; i <= 4; i++)
    de.push(
      await w.customer({
        name: `DE ${i}`,
        email: `de${i}@example.com`,
        home_market: 'DE',
        tariff: 'ACTIVE',
        start_date: `2025-06-0${i + 2}`,
        vehicle: vehicle(i),
      }),
    )
  const si = await w.customer({
    name: 'SI 1',
    email: 'si@example.com',
    home_market: 'SI',
    tariff: 'ACTIVE',
    start_date: '2025-06-10',
    vehicle: vehicle(10),
  })
  // EE list: a new fully electric BMW registered before 31.12.2025 → no base fee and IONITY Plus free for 12 months
  const ee = await w.customer({
    name: 'EE 1',
    email: 'ee@example.com',
    home_market: 'EE',
    tariff: 'ACTIVE',
    start_date: '2025-06-01',
    vehicle: vehicle(20, 'iX', true),
    packages: [{ code: 'IONITY_PLUS', booked_at: '2025-06-01' }],
  })
  // a second contract for the same new iX, made later: the benefit belongs to the first contract only
  w.clock.advance(60_000)
  const eeAgain = await w.customer({
    name: 'EE 2',
    email: 'ee2@example.com',
    home_market: 'EE',
    tariff: 'ACTIVE',
    start_date: '2025-06-20',
    vehicle: vehicle(20, 'iX', true),
  })

  await emsp.admin('POST', '/vouchers', {
    code: 'TWOFREE',
    kind: 'BASE_FEE_MONTHS',
    months: 2,
    valid_from: '2025-06-01',
    valid_until: '2025-06-30',
    max_redemptions: 100,
    home_markets: ['DE'],
  })
  t.equal((await de[0]!.app('POST', '/vouchers', { code: 'TWOFREE' })).status, 201)

  await t.test('the month job runs at 03:00 UTC on the 1st, fans out one job per contract and schedules the next month', async (t) => {
    await emsp.app.jobs.enqueue(db, {
      queue: 'billing.month',
      payload: { month: '2025-06', asOf: '2025-07-01T03:00:00.000Z' },
      dedupeKey: '2025-06',
      runAt: new Date('2025-07-01T03:00:00Z'),
    })
    t.equal(await emsp.app.jobs.runDue({ queues: ['billing.month', 'billing.invoice'] }), 0, 'not due before its time')
    w.clock.set('2025-07-01T03:00:00Z')
    t.equal(await emsp.app.jobs.runDue({ queues: ['billing.month', 'billing.invoice'] }), 1 + 7, 'the month job and 7 invoice jobs')
    const next = await execRows<{ payload: { month: string }; run_at: string; state: string }>(
      db,
      sql`select payload, run_at::text, state from jobs where queue = 'billing.month' and dedupe_key = '2025-07'`,
    )
    t.match(next, [{ payload: { month: '2025-07' }, state: 'pending' }])
    t.equal(new Date(next[0]!.run_at).toISOString(), '2025-08-01T03:00:00.000Z')
  })

  await t.test('numbers are gapless per home market and year', async (t) => {
    const all = (await emsp.admin('GET', '/invoices?month=2025-06')).body.invoices as { number: string; contract_id: string }[]
    t.same(all.map((i) => i.number).sort(), [
      'DE-2025-000001',
      'DE-2025-000002',
      'DE-2025-000003',
      'DE-2025-000004',
      'EE-2025-000001',
      'EE-2025-000002',
      'SI-2025-000001',
    ])
  })

  await t.test("waivers start with the contract: voucher months and the new-vehicle benefit; the VIN's second contract pays", async (t) => {
    const of = async (contractId: string, month: string) => {
      const [inv] = (await emsp.admin('GET', `/invoices?contract_id=${contractId}&month=${month}`)).body.invoices
      return (await emsp.admin('GET', `/invoices/${inv.id}`)).body
    }
    const kinds = (inv: { lines: { kind: string; amount: string }[] }) => inv.lines.map((l) => `${l.kind} ${l.amount}`)
    const voucherJune = await of(de[0]!.contractId, '2025-06')
    t.same(kinds(voucherJune), ['BASE_FEE 4.99', 'WAIVER -4.99'])
    t.match(voucherJune, { total: '0.00', amount_due: '0.00', status: 'PAID' })
    t.match(voucherJune.lines[1], { description: 'Voucher TWOFREE: month without base fee' })
    t.same(kinds(await of(de[1]!.contractId, '2025-06')), ['BASE_FEE 4.99'])
    const eeJune = await of(ee.contractId, '2025-06')
    t.same(kinds(eeJune), ['BASE_FEE 4.99', 'WAIVER -4.99', 'PACKAGE_FEE 5.99', 'WAIVER -5.99'])
    t.match(eeJune, { total: '0.00', status: 'PAID', vat: [{ rate: '0.22', vat: '0.00' }] })
    t.same(kinds(await of(eeAgain.contractId, '2025-06')), ['BASE_FEE 4.99'], 'not the first contract of that VIN')
    // SI 4.99 incl. 22 %: 4.99 × 22/122 = 0.8998… → 0.90
    t.match(await of(si.contractId, '2025-06'), { total: '4.99', vat: [{ rate: '0.22', vat: '0.90', net: '4.09' }] })
  })

  await t.test('concurrent runs: the same contract gets one invoice, different contracts consecutive numbers', async (t) => {
    w.clock.set('2025-07-05T10:00:00Z')
    // a CDR that ended in June arrives after June was invoiced: it goes on July's invoice (BE AC 20.5 kWh = 9.20)
    await w.postCdr({
      id: 'LATE-1',
      contractId: de[1]!.contractId,
      uid: de[1]!.appUid,
      country: 'BEL',
      currency: 'EUR',
      kwh: 20.5,
      start: '2025-06-28T10:00:00Z',
      end: '2025-06-28T11:30:00Z',
    })
    // a CDR and its credit CDR in July: the reversal is a negative line
    const rev = { contractId: de[2]!.contractId, uid: de[2]!.appUid, country: 'BEL', currency: 'EUR', kwh: 20.5 }
    await w.postCdr({ ...rev, id: 'REV-1', start: '2025-07-03T10:00:00Z', end: '2025-07-03T11:30:00Z' })
    await w.postCdr({ ...rev, id: 'REV-1-CREDIT', creditOf: 'REV-1', start: '2025-07-03T10:00:00Z', end: '2025-07-03T11:30:00Z' })
    w.clock.set('2025-08-01T03:00:00Z')
    const same = await Promise.all(
      [1, 2, 3].map(() => emsp.admin('POST', '/invoice-runs', { month: '2025-07', contract_id: de[1]!.contractId })),
    )
    t.same(
      same.map((r) => r.status),
      [200, 200, 200],
    )
    t.equal(same.filter((r) => r.body.created).length, 1, 'created once')
    t.equal(new Set(same.map((r) => r.body.invoice.id)).size, 1, 'all answer the same invoice')
    const late = (await emsp.admin('GET', `/invoices/${same[0]!.body.invoice.id}`)).body
    t.same(
      late.lines.map((l: { kind: string; amount: string; service_date: string }) => `${l.kind} ${l.amount} ${l.service_date}`),
      ['BASE_FEE 4.99 2025-07-04', 'CHARGING 9.20 2025-06-28'],
    )
    const others = await Promise.all(
      [de[0]!, de[2]!, de[3]!].map((c) => emsp.admin('POST', '/invoice-runs', { month: '2025-07', contract_id: c.contractId })),
    )
    const numbers = [same[0]!.body.invoice.number, ...others.map((r) => r.body.invoice.number)].sort()
    t.same(numbers, ['DE-2025-000005', 'DE-2025-000006', 'DE-2025-000007', 'DE-2025-000008'])
    const reversed = (await emsp.admin('GET', `/invoices/${others[1]!.body.invoice.id}`)).body
    t.same(
      reversed.lines.map((l: { kind: string; amount: string }) => `${l.kind} ${l.amount}`),
      ['BASE_FEE 4.99', 'CHARGING 9.20', 'REVERSAL -9.20'],
    )
    t.equal(reversed.total, '4.99')
  })

  await t.test('waivers end: the voucher after two months, the new-vehicle benefit after twelve', async (t) => {
    const lines = async (contractId: string, month: string, asOf: string) => {
      const res = await emsp.admin('POST', '/invoice-runs', { month, contract_id: contractId, as_of: asOf })
      return (await emsp.admin('GET', `/invoices/${res.body.invoice.id}`)).body.lines.map(
        (l: { kind: string; amount: string; period_from: string }) => `${l.kind} ${l.amount} ${l.period_from}`,
      )
    }
    // start 3 June: periods begin 3 June, 3 July, 3 August
    t.same(await lines(de[0]!.contractId, '2025-07', '2025-08-01T03:00:00Z'), ['BASE_FEE 4.99 2025-07-03', 'WAIVER -4.99 2025-07-03'])
    t.same(await lines(de[0]!.contractId, '2025-08', '2025-09-01T03:00:00Z'), ['BASE_FEE 4.99 2025-08-03'])
    t.match((await de[0]!.app('GET', '/contract')).body.vouchers, [{ code: 'TWOFREE', months_left: 0 }])
    // a CDR re-rated after it was invoiced: the next invoice bills the difference. de[1] moves to Flex,
    // where the operator's price (1.21 incl. VAT in the CDR) replaces the list price 9.20: −7.99.
    // A negative invoice: nothing due, the 7.99 is carried to the next invoice as a credit.
    await de[1]!.app('PATCH', '/contract', { tariff: 'FLEX' })
    const july = (await emsp.admin('GET', `/invoices?contract_id=${de[1]!.contractId}&month=2025-07`)).body.invoices[0]
    const lateCdr = (await emsp.admin('GET', `/invoices/${july.id}`)).body.lines.find((l: { kind: string }) => l.kind === 'CHARGING').cdr_id
    t.equal((await emsp.admin('POST', `/cdrs/${lateCdr}/rerate`)).status, 200)
    const corrected = await emsp.admin('POST', '/invoice-runs', {
      month: '2025-08',
      contract_id: de[1]!.contractId,
      as_of: '2025-09-01T03:00:00Z',
    })
    const aug = (await emsp.admin('GET', `/invoices/${corrected.body.invoice.id}`)).body
    t.match(aug, { total: '-7.99', amount_due: '0.00', status: 'PAID', lines: [{ kind: 'CORRECTION', amount: '-7.99', cdr_id: lateCdr }] })
    t.equal(aug.lines.length, 1)
    const sept = await emsp.admin('POST', '/invoice-runs', {
      month: '2025-09',
      contract_id: de[1]!.contractId,
      as_of: '2025-10-01T03:00:00Z',
    })
    t.same(sept.body, { created: false, invoice: null }, 'a credit alone makes no invoice; it waits for the next charge')
    // a change to Flex applies from the next period: no base fee, nothing to invoice
    t.match(await de[3]!.app('PATCH', '/contract', { tariff: 'FLEX' }), { status: 200, body: { tariff: 'FLEX' } })
    t.same(
      (await emsp.admin('POST', '/invoice-runs', { month: '2025-08', contract_id: de[3]!.contractId, as_of: '2025-09-01T03:00:00Z' })).body,
      { created: false, invoice: null },
    )
    // EE from 1 June 2025: May 2026 is the 12th period (waived), June 2026 the 13th (charged)
    t.same(await lines(ee.contractId, '2026-05', '2026-06-01T03:00:00Z'), [
      'BASE_FEE 4.99 2026-05-01',
      'WAIVER -4.99 2026-05-01',
      'PACKAGE_FEE 5.99 2026-05-01',
      'WAIVER -5.99 2026-05-01',
    ])
    t.same(await lines(ee.contractId, '2026-06', '2026-07-01T03:00:00Z'), ['BASE_FEE 4.99 2026-06-01', 'PACKAGE_FEE 5.99 2026-06-01'])
    // 10.98 incl. 24 % (from July 2025): 10.98 × 24/124 = 2.1251… → 2.13
    t.match((await emsp.admin('GET', `/invoices?contract_id=${ee.contractId}&month=2026-06`)).body.invoices, [
      { number: 'EE-2026-000002', total: '10.98' },
    ])
    const june2026 = (await emsp.admin('GET', `/invoices?contract_id=${ee.contractId}&month=2026-06`)).body.invoices[0]
    t.match((await emsp.admin('GET', `/invoices/${june2026.id}`)).body.vat, [{ rate: '0.24', vat: '2.13', net: '8.85' }])
  })

  await t.test('cancelling the contract: it ends on its next contract date, and so does IONITY Plus', async (t) => {
    w.clock.set('2026-07-10T08:00:00Z')
    // EE contract from 1 June 2025: contract dates are month ends; notice on 10 July 2026 → 31 July 2026
    t.match(await ee.app('POST', '/contract/cancellation'), { status: 200, body: { state: 'cancelled', end_date: '2026-07-31' } })
    t.match(await ee.app('POST', '/contract/cancellation'), { status: 409, body: { code: 'contract_not_active' } })
    const july = await emsp.admin('POST', '/invoice-runs', { month: '2026-07', contract_id: ee.contractId, as_of: '2026-08-01T03:00:00Z' })
    t.match((await emsp.admin('GET', `/invoices/${july.body.invoice.id}`)).body, {
      total: '10.98',
      lines: [
        { kind: 'BASE_FEE', period_to: '2026-07-31' },
        { kind: 'PACKAGE_FEE', period_to: '2026-07-31' },
      ],
    })
    const august = await emsp.admin('POST', '/invoice-runs', {
      month: '2026-08',
      contract_id: ee.contractId,
      as_of: '2026-09-01T03:00:00Z',
    })
    t.same(august.body, { created: false, invoice: null }, 'nothing begins after the end')
  })

  await t.test('the admin CLI: exchange rates, invoices, payments', async (t) => {
    const env = { ...process.env, ADMIN_TOKEN, PUBLIC_URL: emsp.url }
    const cli = (...args: string[]) =>
      promisify(execFile)(process.execPath, [...TS_NODE_ARGS, 'scripts/admin.ts', ...args], { env, encoding: 'utf8' }).then(
        (r) => ({ code: 0, ...r }),
        (e: { code: number; stdout: string; stderr: string }) => e,
      )
    const rate = await cli('rates:set', 'EUR', 'CZK', '2025-01-01', '25.10')
    t.equal(rate.code, 0, rate.stderr)
    t.same(JSON.parse(rate.stdout), { base: 'EUR', quote: 'CZK', valid_from: '2025-01-01', rate: '25.1' })
    const list = JSON.parse((await cli('invoices:list', `--contract=${si.contractId}`)).stdout).invoices
    t.match(list, [{ number: 'SI-2025-000001', total: '4.99', status: 'OPEN' }])
    const paid = await cli('invoices:pay', list[0].id, '4.99', '2025-07-03', 'CARD-1')
    t.match(JSON.parse(paid.stdout), { status: 'PAID', paid: '4.99' })
    t.equal((await cli('invoices:pay', list[0].id)).code, 2, 'usage error')
  })
})

t.test("a started app schedules the current month's run (once, however often it starts)", async (t) => {
  const { fixedClock } = await import('../../src/platform/clock.js')
  const { startTestApp } = await import('../helpers/build-app.js')
  const emsp = await startTestApp(t, { clock: fixedClock('2026-02-14T08:00:00Z'), startJobs: true })
  const rows = await execRows<{ payload: { month: string; asOf: string }; run_at: string }>(
    emsp.database.db,
    sql`select payload, run_at::text from jobs where queue = 'billing.month'`,
  )
  t.equal(rows.length, 1)
  t.same(rows[0]!.payload, { month: '2026-02', asOf: '2026-03-01T03:00:00.000Z' })
  t.equal(new Date(rows[0]!.run_at).toISOString(), '2026-03-01T03:00:00.000Z')
  const again = await startTestApp(t, { clock: fixedClock('2026-02-20T08:00:00Z'), startJobs: true, database: emsp.database })
  t.ok(again)
  const after = await execRows<{ n: number }>(emsp.database.db, sql`select count(*)::int as n from jobs where queue = 'billing.month'`)
  t.equal(after[0]!.n, 1, 'a second instance on the same database adds nothing')
})
