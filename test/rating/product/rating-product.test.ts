// Rating and CDR audit in the product, over real HTTP: a registered CPO (simulator) posts CDRs for
// the token of a customer created through the admin API; jobs run deterministically (runDue).
// Every expected amount is computed by hand from the German price list (de-2024-01-01.ts) or the
// tariff stated here, never taken from the code's output.
import { sql } from 'drizzle-orm'
import t from 'tap'
import { Decimal } from 'decimal.js'
import { execRows } from '../../../src/db/client.js'
import { systemClock } from '../../../src/platform/clock.js'
import { randomIds } from '../../../src/platform/ids.js'
import { createRatingService } from '../../../src/rating/rating.service.js'
import { startTestApp } from '../../helpers/build-app.js'
import { startCpoSimulator } from '../../helpers/cpo-simulator.js'

interface CdrSpec {
  id: string
  token: { uid: string; type: string; contract_id: string }
  kwh: number
  /** claimed total excl. and incl. VAT (also stated as total_energy_cost) */
  total: [number, number | null]
  tariffId: string
  embedded?: { id: string; price: number }
  credit?: string
}

// Belgium, AC, Tuesday 2025-03-04 10:00-11:30 UTC (90 minutes).
const ocpiCdr = (s: CdrSpec) => {
  const sign = s.credit ? -1 : 1
  return {
    country_code: 'BE',
    party_id: 'BEC',
    id: s.id,
    start_date_time: '2025-03-04T10:00:00Z',
    end_date_time: '2025-03-04T11:30:00Z',
    cdr_token: { country_code: 'DE', party_id: 'BMW', ...s.token },
    auth_method: 'WHITELIST',
    cdr_location: {
      id: 'LOC1',
      name: 'Gent Zuid',
      address: 'F.Rooseveltlaan 3A',
      city: 'Gent',
      postal_code: '9000',
      country: 'BEL',
      coordinates: { latitude: '51.047599', longitude: '3.729944' },
      evse_uid: '3256',
      evse_id: 'BE*BEC*E041503003',
      connector_id: '1',
      connector_standard: 'IEC_62196_T2',
      connector_format: 'SOCKET',
      connector_power_type: 'AC_3_PHASE',
    },
    currency: 'EUR',
    ...(s.embedded ? { tariffs: [tariff(s.embedded.id, s.embedded.price)] } : {}),
    charging_periods: [
      {
        start_date_time: '2025-03-04T10:00:00Z',
        dimensions: [
          { type: 'ENERGY', volume: s.kwh },
          { type: 'TIME', volume: 1.5 },
        ],
        tariff_id: s.tariffId,
      },
    ],
    total_cost: price(sign, s.total),
    total_energy: s.kwh,
    total_energy_cost: price(sign, s.total),
    total_time: 1.5,
    ...(s.credit ? { credit: true, credit_reference_id: s.credit } : {}),
    last_updated: '2025-03-04T11:31:00Z',
  }
}

const price = (sign: number, [excl, incl]: [number, number | null]) => ({
  excl_vat: sign * excl,
  ...(incl === null ? {} : { incl_vat: sign * incl }),
})

const tariff = (id: string, perKwh: number) => ({
  country_code: 'BE',
  party_id: 'BEC',
  id,
  currency: 'EUR',
  elements: [{ price_components: [{ type: 'ENERGY', price: perKwh, vat: 21.0, step_size: 1 }] }],
  last_updated: '2025-01-01T00:00:00Z',
})

t.test('rating and audit of received CDRs', async (t) => {
  const emsp = await startTestApp(t)
  const db = emsp.database.db
  const { token_a, versions_url } = (await emsp.admin('POST', '/partners', { name: 'Be Charging' })).body
  const cpo = await startCpoSimulator(t, { countryCode: 'BE', partyId: 'BEC' })
  await cpo.registerWith(versions_url, token_a)
  const created = await emsp.admin('POST', '/customers', {
    name: 'Erika Mustermann',
    email: 'erika@example.com',
    home_market: 'DE',
    tariff: 'ACTIVE',
    start_date: '2025-01-01',
    vehicle: { vin: 'WBA11AA0X0FX12345', model: 'iX', delivery_date: '2024-12-01' },
  })
  t.equal(created.status, 201, JSON.stringify(created.body))
  const contractId: string = created.body.contract_id
  const token = { uid: created.body.tokens[0].uid, type: 'APP_USER', contract_id: contractId }

  // The operator's tariff T1 as stored: 0.30 EUR/kWh excl. VAT, 21 % VAT.
  const put = await cpo.call('PUT', `${cpo.endpointOfEmsp('tariffs')}/BE/BEC/T1`, tariff('T1', 0.3))
  t.equal(put.body?.status_code, 1000, JSON.stringify(put.body))

  const post = async (spec: CdrSpec) => {
    const res = await cpo.call('POST', cpo.endpointOfEmsp('cdrs'), ocpiCdr(spec))
    t.equal(res.body?.status_code, 1000, JSON.stringify(res.body))
    return String(res.headers.location).split('/').pop()!
  }
  const ratingOf = async (cdrId: string) => (await emsp.admin('GET', `/cdrs/${cdrId}/rating`)).body
  const chargeRows = (cdrId: string) =>
    execRows<{ id: string; total: string; superseded_by: string | null }>(
      db,
      sql`select id, total::text, superseded_by from charges where cdr_id = ${cdrId} order by rated_at, id`,
    )

  let cdr1 = ''

  t.test('a CDR for our customer is rated with the German list, Belgium AC row, and stored with lines', async (t) => {
    // 20.5 kWh: claims 20.5 × 0.30 = 6.15 excl., 6.15 × 1.21 = 7.4415 → 7.44 incl. (agrees with T1)
    cdr1 = await post({ id: 'CDR1', token, kwh: 20.5, total: [6.15, 7.44], tariffId: 'T1' })
    t.equal((await ratingOf(cdr1)).status, 'PENDING', 'nothing is rated before the job runs')
    t.ok((await emsp.app.jobs.runDue()) >= 2, 'cdr.received, then cdr.audit')
    const r = await ratingOf(cdr1)
    t.equal(r.status, 'RATED')
    const c = r.active_charge
    // Belgium AC for a DE contract: 0.42 EUR/kWh + 0.59 session fee; blocking only after 300 min.
    // 20.5 × 0.42 = 8.61; 8.61 + 0.59 = 9.20
    t.match(c, {
      kind: 'CHARGE',
      rule: 'fixed_price',
      currency: 'EUR',
      total: '9.20',
      contract_id: contractId,
      customer_id: created.body.id,
      catalog_version: 'DE@2024-01-01T00:00:00Z',
      cdr_start: '2025-03-04T10:00:00.000Z',
      cdr_end: '2025-03-04T11:30:00.000Z',
    })
    t.same(
      c.lines.map((l: { kind: string; amount: string }) => [l.kind, l.amount]),
      [
        ['energy', '8.61'],
        ['session_fee', '0.59'],
      ],
    )
    t.equal(r.history.length, 1)
  })

  t.test('the audit agrees with the stored tariff: not a dispute', async (t) => {
    const a = (await ratingOf(cdr1)).audit
    t.match(a, { tariff_source: 'STORED', tariff_ids: ['T1'], flagged: false, total_cost_difference: '0' })
    t.match(a.computed_totals.total_cost, { excl_vat: '6.15', incl_vat: '7.4415' })
  })

  t.test('a replayed cdr.received job rates once', async (t) => {
    await emsp.app.jobs.enqueue(db, { queue: 'cdr.received', payload: { cdrId: cdr1 }, dedupeKey: 'replay-1' })
    await emsp.app.jobs.enqueue(db, { queue: 'cdr.received', payload: { cdrId: cdr1 }, dedupeKey: 'replay-2' })
    t.equal(await emsp.app.jobs.runDue(), 2)
    t.same(
      (await chargeRows(cdr1)).map((r) => r.total),
      ['9.20'],
      'still exactly one charge',
    )
    const audits = await execRows<{ n: number }>(db, sql`select count(*)::int as n from jobs where queue = 'cdr.audit'`)
    t.equal(audits[0]?.n, 1, 'one audit job per CDR (deduplicated)')
  })

  t.test('a credit CDR reverses the original charge line by line', async (t) => {
    const credit = await post({ id: 'CDR1-CREDIT', token, kwh: 20.5, total: [6.15, 7.44], tariffId: 'T1', credit: 'CDR1' })
    await emsp.app.jobs.runDue()
    const c = (await ratingOf(credit)).active_charge
    t.match(c, { kind: 'REVERSAL', rule: 'credit:fixed_price', total: '-9.20', currency: 'EUR' })
    t.same(
      c.lines.map((l: { kind: string; amount: string }) => [l.kind, l.amount]),
      [
        ['energy', '-8.61'],
        ['session_fee', '-0.59'],
      ],
    )
    // The credit states −6.15 / −7.44: compared with the negated recomputation, it agrees.
    t.match((await ratingOf(credit)).audit, { tariff_source: 'STORED', flagged: false, total_cost_difference: '0' })
  })

  t.test('billing reads the active charges of a contract by CDR end, [endedFrom, endedTo), with Decimal totals', async (t) => {
    // listCharges needs only the database; the other dependencies are not reached.
    const rating = createRatingService({
      db,
      clock: systemClock,
      ids: randomIds,
      log: emsp.app.log,
      cdrs: {} as never,
      sessions: {} as never,
      lookups: {} as never,
      jobs: {} as never,
    })
    const list = (from: string, to: string) => rating.listCharges({ contractId, endedFrom: new Date(from), endedTo: new Date(to) })
    const march = await list('2025-03-01T00:00:00Z', '2025-04-01T00:00:00Z')
    t.same(
      march.map((c) => [c.kind, c.total.toFixed(2), c.lines.length]),
      [
        ['CHARGE', '9.20', 2],
        ['REVERSAL', '-9.20', 2],
      ],
    )
    t.ok(Decimal.isDecimal(march[0]!.total), 'a Decimal')
    t.equal(march[0]!.lines[0]!.amount.plus(march[0]!.lines[1]!.amount).toFixed(2), '9.20')
    t.same(await list('2025-03-04T11:30:00.001Z', '2025-04-01T00:00:00Z'), [], 'endedFrom is inclusive: a later start excludes them')
    t.same(await list('2025-03-01T00:00:00Z', '2025-03-04T11:30:00Z'), [], 'endedTo is exclusive')
    t.same(await rating.listCharges({ contractId: 'DE-BMW-C00000000-0', endedFrom: new Date(0), endedTo: new Date('2030-01-01') }), [])
  })

  t.test('rerate keeps the history: the old charge is superseded by the new one', async (t) => {
    const changed = await emsp.admin('PATCH', `/contracts/${contractId}`, { tariff: 'FLEX' })
    t.equal(changed.status, 200)
    const res = await emsp.admin('POST', `/cdrs/${cdr1}/rerate`)
    t.equal(res.status, 200, JSON.stringify(res.body))
    // FLEX passes the operator's price through: total_cost.incl_vat = 7.44
    t.match(res.body.active_charge, { rule: 'pass_through_flex', total: '7.44', superseded_by: null })
    t.equal(res.body.history.length, 2)
    const rows = await chargeRows(cdr1)
    t.same(
      rows.map((r) => r.total),
      ['9.20', '7.44'],
    )
    t.equal(rows[0]!.superseded_by, rows[1]!.id, 'the first charge points at its replacement')
    t.equal(rows[1]!.superseded_by, null)
    await emsp.admin('PATCH', `/contracts/${contractId}`, { tariff: 'ACTIVE' })
  })

  t.test('a rerate that fails keeps the active charge and answers 409 with the reason', async (t) => {
    // No incl_vat: the Active fixed price does not need it (10 × 0.42 + 0.59 = 4.79) …
    const id = await post({ id: 'CDR-NOINCL', token, kwh: 10, total: [3, null], tariffId: 'T1' })
    await emsp.app.jobs.runDue()
    t.equal((await ratingOf(id)).active_charge.total, '4.79')
    // … but Flex passes the operator's incl. VAT price through, which the CDR does not state.
    await emsp.admin('PATCH', `/contracts/${contractId}`, { tariff: 'FLEX' })
    const res = await emsp.admin('POST', `/cdrs/${id}/rerate`)
    t.equal(res.status, 409)
    t.equal(res.body.code, 'rerate_failed')
    t.match(res.body.message, /^missing_incl_vat: /)
    t.same(
      (await chargeRows(id)).map((r) => [r.total, r.superseded_by]),
      [['4.79', null]],
      'unchanged',
    )
    t.equal((await ratingOf(id)).status, 'RATED')
    await emsp.admin('PATCH', `/contracts/${contractId}`, { tariff: 'ACTIVE' })
  })

  t.test('a CDR whose token is unknown stays unrated with the reason; nothing billable is stored', async (t) => {
    const id = await post({
      id: 'CDR-UNKNOWN',
      token: { uid: 'DEADBEEF01', type: 'RFID', contract_id: 'DE-BMW-C00000000-0' },
      kwh: 10,
      total: [3, 3.63],
      tariffId: 'T1',
    })
    await emsp.app.jobs.runDue()
    const r = await ratingOf(id)
    t.match(r, { status: 'UNRATED', reason_code: 'unknown_contract', active_charge: null, history: [] })
    t.match(r.reason, /DEADBEEF01/)
    t.same(await chargeRows(id), [])
    const again = await emsp.admin('POST', `/cdrs/${id}/rerate`)
    t.match(again.body, { status: 'UNRATED', attempts: 2, active_charge: null })
  })

  t.test('the audit flags a CDR whose totals disagree with the stored tariff', async (t) => {
    // 10 kWh × 0.30 = 3.00 excl. (3.63 incl.), the CDR claims 3.50 / 4.235: +0.50 over the tolerance
    const id = await post({ id: 'CDR-OVER', token, kwh: 10, total: [3.5, 4.235], tariffId: 'T1' })
    await emsp.app.jobs.runDue()
    const a = (await ratingOf(id)).audit
    t.match(a, { flagged: true, tariff_source: 'STORED', total_cost_difference: '0.5', tolerance: '0.01' })
    t.match(
      a.breakdown.explanation[0],
      /^total_cost\.excl_vat: CDR states 3\.5, tariff "T1" gives 3\.0000 \(difference \+0\.5000 EUR, tolerance 0\.01\)$/,
    )
    const disputes = await emsp.admin('GET', '/disputes')
    t.equal(disputes.status, 200)
    t.same(
      disputes.body.items.map((d: { cdr_id: string }) => d.cdr_id),
      [id],
      'only the disagreeing CDR',
    )
    t.equal(disputes.body.total, 1)
  })

  t.test('the stored version wins over tariffs embedded in the CDR; embedded ones are the fallback', async (t) => {
    // Embedded T1 says 0.40/kWh; the stored T1 (0.30) is used, and the claim 3.00 agrees with it.
    const stored = await post({ id: 'CDR-EMB1', token, kwh: 10, total: [3, 3.63], tariffId: 'T1', embedded: { id: 'T1', price: 0.4 } })
    // T9 is not stored: the embedded 0.40/kWh gives 4.00, the claim 4.00 agrees.
    const embedded = await post({ id: 'CDR-EMB2', token, kwh: 10, total: [4, 4.84], tariffId: 'T9', embedded: { id: 'T9', price: 0.4 } })
    await emsp.app.jobs.runDue()
    t.match((await ratingOf(stored)).audit, { tariff_source: 'STORED', flagged: false })
    t.match((await ratingOf(embedded)).audit, { tariff_source: 'EMBEDDED', tariff_ids: ['T9'], flagged: false })
  })

  t.test('no stored and no embedded tariff: not audited, with the reason, never a dispute', async (t) => {
    const id = await post({ id: 'CDR-NOTARIFF', token, kwh: 10, total: [9, 10.89], tariffId: 'T7' })
    await emsp.app.jobs.runDue()
    t.match((await ratingOf(id)).audit, {
      tariff_source: 'NONE',
      tariff_ids: ['T7'],
      flagged: false,
      computed_totals: null,
      reason: /no tariff stored/,
    })
    t.equal((await emsp.admin('GET', '/disputes')).body.total, 1, 'still only CDR-OVER')
  })

  t.test('admin errors: unknown CDR', async (t) => {
    const res = await emsp.admin('POST', '/cdrs/00000000-0000-4000-8000-000000000000/rerate')
    t.equal(res.status, 404)
    t.equal(res.body.code, 'cdr_not_found')
  })
})
