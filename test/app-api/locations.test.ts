// GET /app/v1/locations: the map by bounding box or near a point, EVSE status and power,
// whether the app can start an EVSE, and operators that are offline or unregistered.
import { sql } from 'drizzle-orm'
import t from 'tap'
import { execRows } from '../../src/db/client.js'
import { AppEvse, AppLocation } from '../../src/app-api/locations.routes.js'
import { nearestKeysSql } from '../../src/charging/index.js'
import { freshDatabase } from '../helpers/db.js'
import { locationExample, startWorld, type World } from '../ocpi/commands/world.js'

/** Another location of the same CPO, `dLat` degrees north of LOC1 (0.005° ≈ 557 m). */
const putNearby = async (w: World, id: string, dLat: number, extra: Record<string, unknown> = {}) => {
  const body = {
    ...locationExample,
    id,
    coordinates: { latitude: (51.047599 + dLat).toFixed(6), longitude: '3.729944' },
    name: `Near ${id}`,
    ...extra,
  }
  const res = await w.cpo.call('PUT', `${w.cpo.endpointOfEmsp('locations')}/BE/BEC/${id}`, body)
  if (res.status !== 201) throw new Error(JSON.stringify(res.body))
}
/** A 0.2° box centred on LOC1 (Gent Zuid, 51.047599 N 3.729944 E). */
const AROUND_LOC1 = 'bbox=3.629944,50.947599,3.829944,51.147599'

t.test('bounding box and near-a-point searches, nearest first, with EVSE status, power and app start', async (t) => {
  const w = await startWorld(t)
  const erika = await w.newCustomer()
  await putNearby(w, 'LOC2', 0.005)
  await putNearby(w, 'LOC3', 0.05)
  await putNearby(w, 'HIDDEN', 0.001, { publish: false })
  await putNearby(w, 'FAR', 1.5)

  const box = await erika.app('GET', `/locations?${AROUND_LOC1}`)
  t.equal(box.status, 200)
  t.same(
    box.body.locations.map((l: { id: string }) => l.id),
    ['LOC1', 'LOC2', 'LOC3'],
    'nearest the box centre first; unpublished and outside left out',
  )
  t.equal(box.body.truncated, false)
  const loc1 = box.body.locations[0]
  // The database writes the answer (issue 20.3): it has exactly the documented shape, field by field.
  t.match(box.headers['content-type'], /^application\/json; charset=utf-8$/)
  t.ok(AppLocation.safeParse(loc1).success, 'an AppLocation')
  t.same(Object.keys(loc1), Object.keys(AppLocation.shape), 'the fields of AppLocation, in its order')
  t.same(Object.keys(loc1.evses[0]), Object.keys(AppEvse.shape), 'the fields of an EVSE, in its order')
  t.same(Object.keys(loc1.evses[0].connectors[0]), ['id', 'standard', 'power_type', 'max_power_kw'])
  t.match(loc1, {
    country_code: 'BE',
    party_id: 'BEC',
    id: 'LOC1',
    name: 'Gent Zuid',
    address: 'F.Rooseveltlaan 3A',
    city: 'Gent',
    latitude: '51.047599',
    longitude: '3.729944',
    distance_m: 0,
    operator: { name: 'BeCharged' },
    operator_reachable: true,
    offline_reason: null,
  })
  t.same(
    loc1.evses.map((e: { uid: string; status: string }) => `${e.uid}:${e.status}`),
    ['3256:AVAILABLE', '3257:RESERVED'],
  )
  // 220 V × 16 A × 3 phases = 10 560 W (the example gives no max_electric_power).
  t.match(loc1.evses[0], {
    evse_id: 'BE*BEC*E041503001',
    status_updated_at: '2015-06-28T08:12:01.000Z',
    power_type: 'AC_3_PHASE',
    max_power_kw: '10.56',
    app_start: false,
    capabilities: ['RESERVABLE'],
  })
  t.same(
    loc1.evses[0].connectors.map((c: { id: string; max_power_kw: string }) => `${c.id}:${c.max_power_kw}`),
    ['1:10.56', '2:10.56'],
  )
  // LOC2 is 0.005° of latitude north: 0.005 × 111 320 m ≈ 557 m.
  t.equal(box.body.locations[1].distance_m, 557)

  await w.patchEvse('3256', { capabilities: ['RESERVABLE', 'REMOTE_START_STOP_CAPABLE'], status: 'CHARGING' })
  const patchedAt = w.clock.now().toISOString()
  await w.patchEvse('3257', { status: 'REMOVED' })
  const near = await erika.app('GET', '/locations?lat=51.047599&lon=3.729944&radius_m=1000')
  t.same(
    near.body.locations.map((l: { id: string }) => l.id),
    ['LOC1', 'LOC2'],
    'LOC3 (5.6 km) is outside 1 km',
  )
  const evses = near.body.locations[0].evses
  t.same(
    evses.map((e: { uid: string }) => e.uid),
    ['3256'],
    'REMOVED EVSEs are not shown',
  )
  t.match(evses[0], { status: 'CHARGING', app_start: true, status_updated_at: patchedAt }, 'the time of the status PATCH')

  const limited = await erika.app('GET', `/locations?${AROUND_LOC1}&limit=2`)
  t.same(
    limited.body.locations.map((l: { id: string }) => l.id),
    ['LOC1', 'LOC2'],
  )
  t.equal(limited.body.truncated, true)

  t.match((await erika.app('GET', '/locations?bbox=0,40,5,52')).body, { code: 'area_too_large' })
  t.match((await erika.app('GET', '/locations?bbox=3.8,51,3.7,51.1')).body, { code: 'invalid_request' })
  t.match((await erika.app('GET', '/locations?lat=51')).body, { code: 'invalid_request' })
  t.equal((await w.emsp.ocpi('GET', `/app/v1/locations?${AROUND_LOC1}`)).status, 401)
})

t.test('operators that are offline (HubClientInfo) or unregistered are flagged; the app cannot start there', async (t) => {
  const w = await startWorld(t)
  const erika = await w.newCustomer()
  await w.patchEvse('3256', { capabilities: ['REMOTE_START_STOP_CAPABLE'] })
  const first = () => erika.app('GET', `/locations?${AROUND_LOC1}`).then((r) => r.body.locations[0])
  /** The reachability cache lives 5 s and is refreshed behind the first request after that: ask until it shows. */
  const firstOnceRefreshed = async (until: (l: any) => boolean) => {
    for (let i = 0; i < 50; i++) {
      const l = await first()
      if (until(l)) return l
      await new Promise((r) => setTimeout(r, 20))
    }
    return first()
  }
  t.match(await first(), {
    operator_reachable: true,
    offline_reason: null,
    evses: [
      { uid: '3256', app_start: true },
      { uid: '3257', app_start: false },
    ],
  })

  await w.cpo.call('PUT', `${w.cpo.endpointOfEmsp('hubclientinfo')}/BE/BEC`, {
    country_code: 'BE',
    party_id: 'BEC',
    role: 'CPO',
    status: 'OFFLINE',
    last_updated: w.clock.now().toISOString(),
  })
  t.equal((await first()).operator_reachable, true, 'cached for 5 s')
  w.clock.advance(6_000)
  t.match(await firstOnceRefreshed((l) => !l.operator_reachable), {
    operator_reachable: false,
    offline_reason: 'partner_offline',
    evses: [{ uid: '3256', app_start: false }],
  })

  await w.cpo.unregisterWith()
  w.clock.advance(6_000)
  t.match(
    await firstOnceRefreshed((l) => l.offline_reason === 'partner_unregistered'),
    { id: 'LOC1', operator_reachable: false, offline_reason: 'partner_unregistered' },
    'still on the map, flagged',
  )
})

t.test('available=true&start=true: stations near me with an EVSE available now that the app can start, and only those EVSEs', async (t) => {
  const w = await startWorld(t)
  const erika = await w.newCustomer()
  await putNearby(w, 'LOC2', 0.005) // the example's EVSEs: 3256 AVAILABLE, 3257 RESERVED, neither remote-startable
  const ids = async (query: string) => {
    const res = await erika.app('GET', `/locations?${AROUND_LOC1}&${query}`)
    t.equal(res.status, 200, query)
    return res.body.locations.map((l: { id: string; evses: { uid: string }[] }) => `${l.id}:${l.evses.map((e) => e.uid).join('+')}`)
  }
  t.same(await ids('available=false'), ['LOC1:3256+3257', 'LOC2:3256+3257'], 'false = no filter')
  t.same(await ids('available=true'), ['LOC1:3256', 'LOC2:3256'], 'only AVAILABLE EVSEs')
  t.same(await ids('start=true'), [], 'no EVSE is remote-startable yet')
  await w.patchEvse('3257', { capabilities: ['REMOTE_START_STOP_CAPABLE'] })
  t.same(await ids('start=true'), ['LOC1:3257'])
  t.same(await ids('available=true&start=true'), [], '3257 is RESERVED: startable but not available')
  await w.patchEvse('3256', { capabilities: ['REMOTE_START_STOP_CAPABLE'] })
  t.same(await ids('available=true&start=true'), ['LOC1:3256'], 'one EVSE that is both')
  t.match((await erika.app('GET', `/locations?${AROUND_LOC1}&available=yes`)).body, { code: 'invalid_request' })
  await w.patchEvse('3256', { status: 'CHARGING' })
  t.same(await ids('available=true&start=true'), [], 'taken: gone from the answer')
  await w.patchEvse('3256', { status: 'AVAILABLE' })

  await w.cpo.unregisterWith()
  w.clock.advance(6_000)
  let left = await ids('available=true&start=true')
  for (let i = 0; i < 50 && left.length > 0; i++) {
    // the reachability cache refreshes behind a request
    await new Promise((r) => setTimeout(r, 20))
    left = await ids('available=true&start=true')
  }
  t.same(left, [], 'an unreachable operator: the app cannot start there, so it is not listed')
  t.same(await ids('available=true'), ['LOC1:3256', 'LOC2:3256'], 'still on the plain map')
})

t.test('the map reads a box through the GiST index on the location point, also with the available/start filter', async (t) => {
  const { db, kind } = await freshDatabase(t)
  await db.execute(sql`insert into locations (country_code, party_id, id, partner_id, publish, latitude, longitude, last_updated, object)
    select 'DE', 'P1', 'L' || g, '00000000-0000-4000-8000-000000000001'::uuid, true,
      round((36 + (g % 173) * 0.2 + (g % 7) * 0.01)::numeric, 7), round((-10 + (g / 173) * 0.35)::numeric, 7), now(), '{}'::jsonb
    from generate_series(1, 20000) g`)
  await db.execute(sql`insert into evses (country_code, party_id, location_id, uid, status, capabilities, last_updated, object)
    select country_code, party_id, id, id || '-1', 'AVAILABLE', array['REMOTE_START_STOP_CAPABLE'], now(), '{}'::jsonb from locations`)
  await db.execute(sql`analyze`)
  const box = { minLat: 48.1, maxLat: 48.2, minLon: 11.5, maxLon: 11.7 }
  for (const filter of [{}, { available: true, start: true }]) {
    const rows = await execRows<{ 'QUERY PLAN': unknown }>(
      db,
      sql`explain (format json) ${nearestKeysSql(box, { lat: 48.15, lon: 11.6 }, 0.67, 100, filter)}`,
    )
    const plan = JSON.stringify(rows[0]!['QUERY PLAN'])
    t.match(
      plan,
      /"Index Name":"locations_map_idx"/,
      `${kind}, filter ${JSON.stringify(filter)}: the box is an index scan on locations_map_idx`,
    )
  }
  const found = await execRows<{ id: string }>(
    db,
    nearestKeysSql(box, { lat: 48.15, lon: 11.6 }, 0.67, 100, { available: true, start: true }),
  )
  const [inBox] = await execRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from locations where latitude between 48.1 and 48.2 and longitude between 11.5 and 11.7`,
  )
  t.ok(inBox!.n > 0, `${inBox!.n} locations in the box`)
  t.equal(found.length, Math.min(100, inBox!.n), 'the index finds every location the box holds')
})
