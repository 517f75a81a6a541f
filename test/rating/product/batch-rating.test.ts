// Rating and audit of a claimed batch (issue 16.13, 20.1): the batch path reads CDRs, tokens,
// contracts, Locations and tariff versions once per kind and writes all outcomes in one
// transaction. It must decide exactly what rating one job at a time decides: each CDR below is
// posted twice (B-… rated as one batch, S-… one job at a time) and both ratings and audits compared,
// besides the expected outcomes computed by hand from the German price list (Belgium AC: 0.42 EUR/kWh
// plus a 0.59 EUR session fee).
import { readFileSync } from 'node:fs'
import t from 'tap'
import { startTestApp } from '../../helpers/build-app.js'
import { startCpoSimulator } from '../../helpers/cpo-simulator.js'

// The spec example's Location BE/BEC/LOC1 (source: test/fixtures/ocpi/locations): EVSE 3256,
// connector 1 is AC_3_PHASE 220 V 16 A (about 10.6 kW) with tariff_ids ["11"] (not stored here).
const location = JSON.parse(readFileSync(new URL('../../fixtures/ocpi/locations/location_example.json', import.meta.url), 'utf8'))

interface Spec {
  token: { uid: string; type: string; contract_id: string }
  kwh: number
  tariffId: string
  embedded?: { id: string; perKwh: number }
}

const tariff = (id: string, perKwh: number) => ({
  country_code: 'BE',
  party_id: 'BEC',
  id,
  currency: 'EUR',
  elements: [{ price_components: [{ type: 'ENERGY', price: perKwh, vat: 21.0, step_size: 1 }] }],
  last_updated: '2025-01-01T00:00:00Z',
})

// Belgium, AC, 2025-03-04 10:00-11:30 UTC; claims 0.30 EUR/kWh excl. VAT (as tariff T1 says).
const ocpiCdr = (id: string, s: Spec) => ({
  country_code: 'BE',
  party_id: 'BEC',
  id,
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
  ...(s.embedded ? { tariffs: [tariff(s.embedded.id, s.embedded.perKwh)] } : {}),
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
  total_cost: { excl_vat: Number((s.kwh * 0.3).toFixed(2)) },
  total_energy: s.kwh,
  total_time: 1.5,
  last_updated: '2025-03-04T11:31:00Z',
})

t.test('a batch rates and audits exactly as one job at a time', async (t) => {
  const emsp = await startTestApp(t)
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
  const ours = { uid: created.body.tokens[0].uid as string, type: 'APP_USER', contract_id: contractId }
  t.not(ours.uid.toLowerCase(), ours.uid, 'the token uid has letters (the case-insensitive case below means something)')

  t.equal((await cpo.call('PUT', `${cpo.endpointOfEmsp('tariffs')}/BE/BEC/T1`, tariff('T1', 0.3))).body?.status_code, 1000)
  t.equal((await cpo.call('PUT', `${cpo.endpointOfEmsp('locations')}/BE/BEC/LOC1`, location)).body?.status_code, 1000)

  const specs: Record<string, Spec & { expect: Record<string, unknown>; audit: Record<string, unknown> }> = {
    // 10 × 0.42 + 0.59 = 4.79
    OURS: {
      token: ours,
      kwh: 10,
      tariffId: 'T1',
      expect: { status: 'RATED', active_charge: { total: '4.79', rule: 'fixed_price' } },
      audit: { tariff_source: 'STORED', tariff_ids: ['T1'], flagged: false },
    },
    // the uid in another case is still our token: 12 × 0.42 + 0.59 = 5.63
    CASE: {
      token: { ...ours, uid: ours.uid.toLowerCase() },
      kwh: 12,
      tariffId: 'T1',
      expect: { status: 'RATED', active_charge: { total: '5.63' } },
      audit: { tariff_source: 'STORED', flagged: false },
    },
    // the CDR names another contract id: our token's contract is authoritative. 11 × 0.42 + 0.59 = 5.21
    OTHER_ID: {
      token: { ...ours, contract_id: 'DE-BMW-C99999999-9' },
      kwh: 11,
      tariffId: 'T1',
      expect: { status: 'RATED', active_charge: { total: '5.21', contract_id: contractId } },
      audit: { tariff_source: 'STORED', flagged: false },
    },
    UNKNOWN: {
      token: { uid: 'NOT-OURS-1', type: 'RFID', contract_id: 'DE-BMW-C99999999-9' },
      kwh: 10,
      tariffId: 'T1',
      expect: { status: 'UNRATED', reason_code: 'unknown_contract' },
      audit: { tariff_source: 'STORED' },
    },
    // 20.5 kWh in 1.5 h is 13.7 kW on a 10.6 kW connector: held for an operator
    TOO_MUCH: {
      token: ours,
      kwh: 20.5,
      tariffId: 'T1',
      expect: { status: 'UNRATED', reason_code: 'implausible_cdr' },
      audit: { tariff_source: 'STORED' },
    },
    // T9 is stored nowhere (nor the connector's "11"): the audit prices with the CDR's own tariff; 5 × 0.42 + 0.59 = 2.69
    EMBEDDED: {
      token: ours,
      kwh: 5,
      tariffId: 'T9',
      embedded: { id: 'T9', perKwh: 0.3 },
      expect: { status: 'RATED', active_charge: { total: '2.69' } },
      audit: { tariff_source: 'EMBEDDED', tariff_ids: ['T9'], flagged: false },
    },
  }
  const names = Object.keys(specs)
  const ids: Record<string, string> = {}
  for (const prefix of ['B', 'S'])
    for (const name of names) {
      const res = await cpo.call('POST', cpo.endpointOfEmsp('cdrs'), ocpiCdr(`${prefix}-${name}`, specs[name]!))
      t.equal(res.body?.status_code, 1000, JSON.stringify(res.body))
      ids[`${prefix}-${name}`] = String(res.headers.location).split('/').pop()!
    }

  // The B- jobs were enqueued first: one local-lane claim takes all five (a batch); then the S- jobs one per claim.
  const jobs = emsp.app.jobs
  t.equal(await jobs.runDue({ lane: 'local', queues: ['cdr.received'], max: names.length }), names.length)
  for (const _ of names) t.equal(await jobs.runDue({ lane: 'local', queues: ['cdr.received'], max: 1 }), 1)
  t.equal(await jobs.runDue({ lane: 'local', queues: ['cdr.audit'], max: names.length }), names.length)
  for (const _ of names) t.equal(await jobs.runDue({ lane: 'local', queues: ['cdr.audit'], max: 1 }), 1)

  const ratingOf = async (id: string) => (await emsp.admin('GET', `/cdrs/${id}/rating`)).body
  const decided = (r: Record<string, any>) => ({
    status: r.status,
    reason_code: r.reason_code ?? null,
    reason: r.reason ?? null,
    charge: r.active_charge
      ? {
          kind: r.active_charge.kind,
          rule: r.active_charge.rule,
          total: r.active_charge.total,
          currency: r.active_charge.currency,
          contract_id: r.active_charge.contract_id,
          catalog_version: r.active_charge.catalog_version,
          lines: r.active_charge.lines,
        }
      : null,
    audit: r.audit
      ? {
          tariff_source: r.audit.tariff_source,
          tariff_ids: r.audit.tariff_ids,
          flagged: r.audit.flagged,
          computed_totals: r.audit.computed_totals,
          claimed_totals: r.audit.claimed_totals,
          differences: r.audit.differences,
          total_cost_difference: r.audit.total_cost_difference,
          reason: r.audit.reason,
        }
      : null,
  })
  for (const name of names) {
    const batch = await ratingOf(ids[`B-${name}`]!)
    const single = await ratingOf(ids[`S-${name}`]!)
    t.match(batch, specs[name]!.expect, `${name}: the batch decided as expected`)
    t.match(batch.audit, specs[name]!.audit, `${name}: the batch's audit as expected`)
    t.ok(batch.audit, `${name}: audited`)
    t.same(decided(batch), decided(single), `${name}: batch and one at a time decide the same`)
  }
  t.match((await ratingOf(ids['B-OURS']!)).active_charge, { contract_id: contractId })

  t.test('a replayed batch changes nothing', async (t) => {
    const before = await Promise.all(names.map((n) => ratingOf(ids[`B-${n}`]!)))
    for (const name of names)
      await jobs.enqueue(emsp.database.db, { queue: 'cdr.received', payload: { cdrId: ids[`B-${name}`] }, dedupeKey: `again-${name}` })
    t.equal(await jobs.runDue({ lane: 'local', queues: ['cdr.received'] }), names.length)
    const after = await Promise.all(names.map((n) => ratingOf(ids[`B-${n}`]!)))
    t.same(
      after.map((r) => [r.status, r.active_charge?.id ?? null, r.history.length]),
      before.map((r) => [r.status, r.active_charge?.id ?? null, r.history.length]),
      'same charges, no new history',
    )
  })
})
