// A CDR moves money only when it should (issue 16 items 3-7) and an acknowledged CDR is either rated
// or on the operators' unrated list (issue 15): credits reverse at most what their original charged,
// once, for the original's contract; implausible CDRs are held; operators approve or reject; a bulk
// re-rate brings CDRs back once the cause is fixed. Over real HTTP (a registered CPO simulator);
// expected amounts from the German price list by hand (Belgium AC: 0.42 EUR/kWh + 0.59 session fee).
import t from 'tap'
import { recordOf } from '../../../src/ocpi/cdrs/cdrs.convert.js'
import { readCdrBody } from '../../../src/ocpi/cdrs/cdrs.intake.js'
import { insertCdrWithJob } from '../../../src/ocpi/cdrs/cdrs.repository.js'
import { systemClock } from '../../../src/platform/clock.js'
import { randomIds } from '../../../src/platform/ids.js'
import { createRatingService } from '../../../src/rating/rating.service.js'
import { startTestApp } from '../../helpers/build-app.js'
import { startCpoSimulator } from '../../helpers/cpo-simulator.js'

interface Spec {
  id: string
  token: { uid: string; contract_id: string }
  kwh?: number
  start?: string
  end?: string
  credit?: string
  location?: string
  /** cdr_location without the connector fields (a CPO that sends none). */
  bareLocation?: boolean
}

const cdrOf = (s: Spec) => {
  const start = s.start ?? '2025-03-04T10:00:00Z'
  const end = s.end ?? '2025-03-04T11:30:00Z'
  const sign = s.credit ? -1 : 1
  const kwh = s.kwh ?? 20.5
  return {
    country_code: 'BE',
    party_id: 'BEC',
    id: s.id,
    start_date_time: start,
    end_date_time: end,
    cdr_token: { country_code: 'DE', party_id: 'BMW', type: 'APP_USER', ...s.token },
    auth_method: 'WHITELIST',
    cdr_location: {
      id: s.location ?? 'LOC1',
      address: 'F.Rooseveltlaan 3A',
      city: 'Gent',
      country: 'BEL',
      coordinates: { latitude: '51.047599', longitude: '3.729944' },
      ...(s.bareLocation
        ? {}
        : {
            evse_uid: '3256',
            evse_id: 'BE*BEC*E041503003',
            connector_id: '1',
            connector_standard: 'IEC_62196_T2',
            connector_format: 'SOCKET',
            connector_power_type: 'AC_3_PHASE',
          }),
    },
    currency: 'EUR',
    charging_periods: [{ start_date_time: start, dimensions: [{ type: 'ENERGY', volume: kwh }] }],
    total_cost: { excl_vat: sign * 6.15, incl_vat: sign * 7.44 },
    total_energy: kwh,
    total_time: 1.5,
    ...(s.credit ? { credit: true, credit_reference_id: s.credit } : {}),
    last_updated: end,
  }
}

const location = (id: string) => ({
  country_code: 'BE',
  party_id: 'BEC',
  id,
  publish: true,
  address: 'F.Rooseveltlaan 3A',
  city: 'Gent',
  country: 'BEL',
  coordinates: { latitude: '51.047599', longitude: '3.729944' },
  time_zone: 'Europe/Brussels',
  last_updated: '2025-01-01T00:00:00Z',
  evses: [
    {
      uid: '3256',
      evse_id: 'BE*BEC*E041503003',
      status: 'AVAILABLE',
      last_updated: '2025-01-01T00:00:00Z',
      connectors: [
        {
          id: '1',
          standard: 'IEC_62196_T2',
          format: 'SOCKET',
          power_type: 'AC_3_PHASE',
          max_voltage: 230,
          max_amperage: 32,
          max_electric_power: 22000,
          last_updated: '2025-01-01T00:00:00Z',
        },
      ],
    },
  ],
})

t.test('money rules and the unrated list', async (t) => {
  const emsp = await startTestApp(t)
  const { id: partnerId, token_a, versions_url } = (await emsp.admin('POST', '/partners', { name: 'Be Charging' })).body
  const cpo = await startCpoSimulator(t, { countryCode: 'BE', partyId: 'BEC' })
  await cpo.registerWith(versions_url, token_a)
  const customer = async (name: string, email: string, vin: string) => {
    const c = (
      await emsp.admin('POST', '/customers', {
        name,
        email,
        home_market: 'DE',
        tariff: 'ACTIVE',
        start_date: '2025-01-01',
        vehicle: { vin, model: 'iX', delivery_date: '2024-12-01' },
      })
    ).body
    return { id: c.id as string, token: { uid: c.tokens[0].uid as string, contract_id: c.contract_id as string } }
  }
  const anna = await customer('Anna', 'anna@example.com', 'WBA11AA0X0FX12345')
  const ben = await customer('Ben', 'ben@example.com', 'WBA11AA0X0FX12346')
  t.equal((await cpo.call('PUT', `${cpo.endpointOfEmsp('locations')}/BE/BEC/LOC1`, location('LOC1'))).body.status_code, 1000)

  const post = async (s: Spec) => {
    const res = await cpo.call('POST', cpo.endpointOfEmsp('cdrs'), cdrOf(s))
    t.equal(res.body?.status_code, 1000, `${s.id} acknowledged: ${res.body?.status_message ?? ''}`)
    await emsp.app.jobs.runDue()
    return String(res.headers.location).split('/').pop()!
  }
  const ratingOf = async (id: string) => (await emsp.admin('GET', `/cdrs/${id}/rating`)).body
  const unrated = async () => (await emsp.admin('GET', '/cdrs?rating_status=UNRATED')).body
  const chargesOf = async (customerId: string) =>
    (
      await createRatingService({
        db: emsp.database.db,
        clock: systemClock,
        ids: randomIds,
        log: emsp.app.log,
        cdrs: {} as never,
        sessions: {} as never,
        lookups: {} as never,
        jobs: {} as never,
      }).listCharges({ contractId: customerId, endedFrom: new Date(0), endedTo: new Date('2030-01-01') })
    ).map((c) => [c.kind, c.total.toFixed(2)])

  let original = ''
  t.test('item 3: a credit for a CDR we never received moves no money and is listed with its reason', async (t) => {
    const id = await post({ id: 'CREDIT-OF-NOTHING', token: anna.token, credit: 'NEVER-RECEIVED' })
    t.match(await ratingOf(id), { status: 'UNRATED', reason_code: 'credit_original_unknown', active_charge: null })
    const list = await unrated()
    t.match(list.data, [
      { id, reason_code: 'credit_original_unknown', partner_id: partnerId, cdr_id: 'CREDIT-OF-NOTHING', received_at: /^\d{4}-/ },
    ])
    t.match(list.data[0].reason, /NEVER-RECEIVED, which we never received/)
    t.same(await chargesOf(anna.token.contract_id), [], 'nothing charged or credited')
  })

  t.test('item 4: a credit reverses its original once; a second credit for it is held', async (t) => {
    original = await post({ id: 'ORIGINAL-1', token: anna.token })
    t.match((await ratingOf(original)).active_charge, { total: '9.20' }, '20.5 × 0.42 + 0.59')
    const first = await post({ id: 'ORIGINAL-1-C1', token: anna.token, credit: 'ORIGINAL-1' })
    t.match((await ratingOf(first)).active_charge, { kind: 'REVERSAL', total: '-9.20' })
    const second = await post({ id: 'ORIGINAL-1-C2', token: anna.token, credit: 'ORIGINAL-1' })
    t.match(await ratingOf(second), { status: 'UNRATED', reason_code: 'credit_already_applied', active_charge: null })
    t.same(
      await chargesOf(anna.token.contract_id),
      [
        ['CHARGE', '9.20'],
        ['REVERSAL', '-9.20'],
      ],
      'credited once',
    )
  })

  t.test("item 5: a credit carrying another customer's token credits nobody until an operator decides", async (t) => {
    const mine = await post({ id: 'ORIGINAL-2', token: anna.token })
    const credit = await post({ id: 'ORIGINAL-2-C', token: ben.token, credit: 'ORIGINAL-2' })
    t.match(await ratingOf(credit), { status: 'UNRATED', reason_code: 'credit_contract_mismatch' })
    t.same(await chargesOf(ben.token.contract_id), [], 'Ben is not credited')
    // Approved, the credit reverses the original for the original's contract: Anna's.
    const approved = (
      await emsp.admin('POST', `/cdrs/${credit}/decision`, { decision: 'APPROVE', note: 'CPO confirmed the refund is for Anna' })
    ).body
    t.match(approved, {
      status: 'RATED',
      decision: 'APPROVED',
      active_charge: { kind: 'REVERSAL', total: '-9.20', contract_id: anna.token.contract_id },
    })
    t.same(await chargesOf(ben.token.contract_id), [], 'still nothing for Ben')
    t.match((await ratingOf(mine)).active_charge, { total: '9.20' })
  })

  t.test('a credit whose original another partner sent moves no money', async (t) => {
    // Not reachable over OCPI today (a party belongs to one partner): the original is written as
    // another partner's (a party that moved between partners, a hub), straight through the repository.
    const read = readCdrBody(cdrOf({ id: 'OTHER-PARTNERS', token: anna.token }))
    if (!read.ok) throw new Error('fixture')
    const other = (await emsp.admin('POST', '/partners', { name: 'Another platform' })).body.id as string
    await insertCdrWithJob(
      emsp.database.db,
      {
        id: '00000000-0000-4000-8000-0000000000aa',
        partnerId: other,
        record: recordOf(read.value, read.value),
        raw: '{}',
        deviations: [],
        now: new Date(),
      },
      { queue: 'cdr.received', dedupeKey: 'BE/BEC/OTHER-PARTNERS', orderKey: 'BE/BEC/OTHER-PARTNERS' },
    )
    await emsp.app.jobs.runDue()
    const credit = await post({ id: 'OTHER-PARTNERS-C', token: anna.token, credit: 'OTHER-PARTNERS' })
    t.match(await ratingOf(credit), { status: 'UNRATED', reason_code: 'credit_original_other_partner', active_charge: null })
  })

  t.test('items 6-7: implausible CDRs are acknowledged, held with the reason, and charge nothing', async (t) => {
    const negative = await post({ id: 'NEGATIVE-ENERGY', token: anna.token, kwh: -20 })
    const huge = await post({ id: 'HUGE-ENERGY', token: anna.token, kwh: 1e308 })
    const future = await post({ id: 'YEAR-9999', token: anna.token, start: '9999-12-31T10:00:00Z', end: '9999-12-31T11:30:00Z' })
    const beforeToken = await post({ id: 'BEFORE-CONTRACT', token: anna.token, start: '2024-06-01T10:00:00Z', end: '2024-06-01T11:30:00Z' })
    for (const [id, why] of [
      [negative, /total_energy is negative/],
      [huge, /exceeds what 22 kW deliver/],
      [future, /dated in the future/],
      [beforeToken, /before its token existed/],
    ] as const) {
      const r = await ratingOf(id)
      t.match(r, { status: 'UNRATED', reason_code: 'implausible_cdr', active_charge: null, history: [] })
      t.match(r.reason, why)
    }
    t.same(
      (await chargesOf(anna.token.contract_id)).filter(([kind]) => kind === 'CHARGE').length,
      3,
      'only the three plausible originals charged',
    )
  })

  t.test('operators decide: REJECT ends a held CDR without money, APPROVE rates it', async (t) => {
    const over = await post({ id: 'OVER-POWER', token: anna.token, kwh: 40 }) // 40 kWh in 1.5 h over a 22 kW connector
    t.match(await ratingOf(over), { status: 'UNRATED', reason_code: 'implausible_cdr' })
    const approved = (await emsp.admin('POST', `/cdrs/${over}/decision`, { decision: 'APPROVE', note: 'connector upgraded to 50 kW' })).body
    t.match(
      approved,
      { status: 'RATED', decision: 'APPROVED', decision_note: 'connector upgraded to 50 kW', active_charge: { total: '17.39' } },
      '40 × 0.42 + 0.59',
    )
    const negative = (await unrated()).data.find((u: { cdr_id: string }) => u.cdr_id === 'NEGATIVE-ENERGY').id
    const rejected = (await emsp.admin('POST', `/cdrs/${negative}/decision`, { decision: 'REJECT', note: 'CPO meter fault' })).body
    t.match(rejected, { status: 'REJECTED', decision: 'REJECTED', active_charge: null })
    t.notOk(
      (await unrated()).data.some((u: { id: string }) => u.id === negative),
      'off the unrated list',
    )
    t.match(await emsp.admin('POST', `/cdrs/${negative}/rerate`), { status: 409, body: { code: 'cdr_rejected' } })
    t.match(
      await emsp.admin('POST', `/cdrs/${original}/decision`, { decision: 'REJECT' }),
      { status: 409, body: { code: 'not_held' } },
      'a rated CDR awaits no decision',
    )
  })

  t.test('a Location that arrives later: the bulk re-rate brings its CDRs back', async (t) => {
    const held = await post({ id: 'LOC2-CDR', token: anna.token, location: 'LOC2', bareLocation: true })
    t.match(await ratingOf(held), { status: 'UNRATED', reason_code: 'missing_power_type' })
    const before = await emsp.admin('POST', '/cdrs/rerate', { reason_code: 'missing_power_type' })
    t.match(before.body, { attempted: 1, rated: 0, still_unrated: [{ id: held, reason_code: 'missing_power_type' }] })
    t.equal((await cpo.call('PUT', `${cpo.endpointOfEmsp('locations')}/BE/BEC/LOC2`, location('LOC2'))).body.status_code, 1000)
    const after = await emsp.admin('POST', '/cdrs/rerate', { reason_code: 'missing_power_type' })
    t.same(after.body, { attempted: 1, rated: 1, still_unrated: [] })
    t.match(await ratingOf(held), { status: 'RATED', active_charge: { total: '9.20' } })
  })

  t.test('the unrated list and the count the metrics read agree; nothing sits in a third state', async (t) => {
    const list = await unrated()
    const reasons = list.data.map((u: { reason_code: string }) => u.reason_code).sort()
    t.same(reasons, [
      'credit_already_applied',
      'credit_original_other_partner',
      'credit_original_unknown',
      'implausible_cdr',
      'implausible_cdr',
      'implausible_cdr',
    ])
    t.equal(list.total, 6)
    const rating = createRatingService({
      db: emsp.database.db,
      clock: systemClock,
      ids: randomIds,
      log: emsp.app.log,
      cdrs: {} as never,
      sessions: {} as never,
      lookups: {} as never,
      jobs: {} as never,
    })
    t.equal(await rating.countUnrated(), 6)
    t.equal((await emsp.admin('GET', '/cdrs?rating_status=PENDING')).body.total, 0)
    const page = await emsp.admin('GET', '/cdrs?rating_status=UNRATED&limit=2&offset=1')
    t.same([page.body.data.length, page.body.total, page.body.offset], [2, 6, 1])
  })
})
