// Issue 16 item 12 (first half): 8 concurrent re-rates of one CDR never leave its rating pointing at
// a charge that does not exist. Real concurrency needs PostgreSQL (DATABASE_URL); on PGlite the
// requests are served one connection at a time and the same invariants hold.
import { sql } from 'drizzle-orm'
import t from 'tap'
import { execRows } from '../../../src/db/client.js'
import { startTestApp } from '../../helpers/build-app.js'
import { startCpoSimulator } from '../../helpers/cpo-simulator.js'

t.test('8 concurrent re-rates of one CDR', async (t) => {
  const emsp = await startTestApp(t)
  const db = emsp.database.db
  const { token_a, versions_url } = (await emsp.admin('POST', '/partners', { name: 'Be Charging' })).body
  const cpo = await startCpoSimulator(t, { countryCode: 'BE', partyId: 'BEC' })
  await cpo.registerWith(versions_url, token_a)
  const c = (
    await emsp.admin('POST', '/customers', {
      name: 'Anna',
      email: 'anna@example.com',
      home_market: 'DE',
      tariff: 'ACTIVE',
      start_date: '2025-01-01',
      vehicle: { vin: 'WBA11AA0X0FX12345', model: 'iX', delivery_date: '2024-12-01' },
    })
  ).body
  const res = await cpo.call('POST', cpo.endpointOfEmsp('cdrs'), {
    country_code: 'BE',
    party_id: 'BEC',
    id: 'RACE-1',
    start_date_time: '2025-03-04T10:00:00Z',
    end_date_time: '2025-03-04T11:30:00Z',
    cdr_token: { country_code: 'DE', party_id: 'BMW', uid: c.tokens[0].uid, type: 'APP_USER', contract_id: c.contract_id },
    auth_method: 'WHITELIST',
    cdr_location: {
      id: 'LOC1',
      address: 'F.Rooseveltlaan 3A',
      city: 'Gent',
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
    charging_periods: [{ start_date_time: '2025-03-04T10:00:00Z', dimensions: [{ type: 'ENERGY', volume: 20.5 }] }],
    total_cost: { excl_vat: 6.15, incl_vat: 7.44 },
    total_energy: 20.5,
    total_time: 1.5,
    last_updated: '2025-03-04T11:31:00Z',
  })
  const cdrId = String(res.headers.location).split('/').pop()!
  await emsp.app.jobs.runDue()

  for (let round = 1; round <= 3; round++) {
    const answers = await Promise.all(Array.from({ length: 8 }, () => emsp.admin('POST', `/cdrs/${cdrId}/rerate`)))
    t.same(
      answers.map((a) => a.status),
      Array(8).fill(200),
      `round ${round}: every re-rate answers`,
    )
    const charges = await execRows<{ id: string; superseded_by: string | null }>(
      db,
      sql`select id, superseded_by from charges where cdr_id = ${cdrId}`,
    )
    const [status] = await execRows<{ charge_id: string | null; status: string }>(
      db,
      sql`select charge_id, status from cdr_ratings where cdr_id = ${cdrId}`,
    )
    const active = charges.filter((ch) => ch.superseded_by === null)
    t.equal(charges.length, 1 + 8 * round, 'one charge per rating, the history kept')
    t.equal(active.length, 1, 'exactly one active charge')
    t.equal(status?.status, 'RATED')
    t.equal(status?.charge_id, active[0]?.id, 'the rating points at the active charge, which exists')
    const ids = new Set(charges.map((ch) => ch.id))
    t.ok(
      charges.every((ch) => ch.superseded_by === null || ids.has(ch.superseded_by)),
      'every superseded charge points at an existing one',
    )
    t.equal(
      new Set(charges.map((ch) => ch.superseded_by).filter(Boolean)).size,
      charges.length - 1,
      'a single chain: no charge replaced twice',
    )
  }
})
