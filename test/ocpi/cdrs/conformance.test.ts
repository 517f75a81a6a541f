// The partner conformance report and strict mode: every deviation the tolerant intake reads is
// counted per partner, module and kind with a sample (pushed and pulled objects alike); a partner in
// strict mode has deviant objects refused with 2001 listing the deviations, and nothing stored.
import { readFileSync } from 'node:fs'
import t from 'tap'
import { startTestApp } from '../../helpers/build-app.js'
import { startCpoSimulator } from '../../helpers/cpo-simulator.js'

const example = () =>
  JSON.parse(readFileSync(new URL('../../fixtures/ocpi/cdrs/cdr_example.json', import.meta.url), 'utf8')) as Record<string, any>
const location = () =>
  JSON.parse(readFileSync(new URL('../../fixtures/ocpi/locations/location_example.json', import.meta.url), 'utf8')) as Record<string, any>

t.test('conformance report and strict mode', async (t) => {
  const emsp = await startTestApp(t)
  const { id: partnerId, token_a, versions_url } = (await emsp.admin('POST', '/partners', { name: 'Be Charging' })).body
  const cpo = await startCpoSimulator(t, { countryCode: 'BE', partyId: 'BEC' })
  await cpo.registerWith(versions_url, token_a)
  const report = async () => (await emsp.admin('GET', `/partners/${partnerId}/conformance`)).body
  const cdrUrl = cpo.endpointOfEmsp('cdrs')
  const locUrl = `${cpo.endpointOfEmsp('locations')}/BE/BEC/LOC1`

  t.test('a conforming partner has an empty report', async (t) => {
    t.equal((await cpo.call('POST', cdrUrl, example())).body.status_code, 1000)
    t.match(await report(), { partner_id: partnerId, partner_name: 'Be Charging', strict: false, total: 0, deviations: [] })
  })

  t.test('deviations are counted per module and kind, with the first sample', async (t) => {
    const offsets = {
      ...example(),
      id: 'OFFSET-1',
      start_date_time: '2015-06-29T21:39:09+01:00',
      end_date_time: '2015-06-29T23:37:32+00:00',
    }
    t.equal((await cpo.call('POST', cdrUrl, offsets)).body.status_code, 1000)
    t.equal((await cpo.call('POST', cdrUrl, { ...offsets, id: 'OFFSET-2', currency: 'eur' })).body.status_code, 1000)
    const loc = location()
    loc.evses[0].capabilities.push('ISO_15118_2_PLUG_AND_CHARGE')
    t.equal((await cpo.call('PUT', locUrl, loc)).body.status_code, 1000)
    const r = await report()
    t.equal(r.total, 6, '2 offsets per CDR, one currency, one capability')
    t.match(r.deviations, [
      { module: 'cdrs', kind: 'currency_case', count: 1, sample: { path: 'currency', received: 'eur', object: 'BE/BEC/OFFSET-2' } },
      {
        module: 'cdrs',
        kind: 'datetime_offset',
        count: 4,
        sample: { path: 'start_date_time', received: '2015-06-29T21:39:09+01:00', object: 'BE/BEC/OFFSET-1' },
      },
      {
        module: 'locations',
        kind: 'unknown_enum_dropped',
        count: 1,
        sample: { path: 'evses[0].capabilities[1]', received: 'ISO_15118_2_PLUG_AND_CHARGE', object: 'BE/BEC/LOC1' },
      },
    ])
    const all = (await emsp.admin('GET', '/conformance')).body.data
    t.match(all, [{ partner_id: partnerId, total: 6 }])
  })

  t.test('pulled objects are read and counted like pushed ones', async (t) => {
    cpo.on('GET', /^\/ocpi\/2\.2\.1\/cdrs$/, () => cpo.envelope([{ ...example(), id: 'PULLED-1', total_energy: '15.342' }]))
    const pulled = await emsp.admin('POST', `/partners/${partnerId}/sync/cdrs`, { mode: 'full' })
    t.match(pulled.body, { module: 'cdrs', objects: 1, errors: [] })
    t.match((await report()).deviations, [
      { kind: 'currency_case' },
      { kind: 'datetime_offset' },
      { module: 'cdrs', kind: 'number_as_string', count: 1, sample: { path: 'total_energy', object: 'BE/BEC/PULLED-1' } },
      { kind: 'unknown_enum_dropped' },
    ])
  })

  t.test('strict mode refuses deviant objects with 2001 listing the deviations; conforming ones pass', async (t) => {
    t.match((await emsp.admin('PUT', `/partners/${partnerId}/conformance`, { strict: true })).body, { strict: true })
    const deviant = await cpo.call('POST', cdrUrl, {
      ...example(),
      id: 'STRICT-1',
      total_energy: '15.342',
      cdr_location: { ...example().cdr_location, country: 'BE' },
    })
    t.equal(deviant.body.status_code, 2001)
    t.match(deviant.body.status_message, /strict mode/)
    t.match(deviant.body.status_message, /total_energy: number_as_string \(received 15\.342\)/)
    t.match(deviant.body.status_message, /cdr_location\.country: country_alpha2 \(received BE\)/)
    const listed = (await emsp.admin('GET', '/cdrs?rating_status=PENDING&limit=500')).body.data as { cdr_id: string }[]
    t.notOk(
      listed.some((l) => l.cdr_id === 'STRICT-1'),
      'nothing stored',
    )
    const loc = location()
    loc.coordinates.latitude = '51.0476'
    const refusedLoc = await cpo.call('PUT', `${cpo.endpointOfEmsp('locations')}/BE/BEC/LOC9`, { ...loc, id: 'LOC9' })
    t.equal(refusedLoc.body.status_code, 2001)
    t.match(refusedLoc.body.status_message, /coordinates\.latitude: coordinates_rescaled/)
    t.equal((await cpo.call('GET', `${cpo.endpointOfEmsp('locations')}/BE/BEC/LOC9`)).status, 404, 'nothing stored')
    t.equal((await cpo.call('POST', cdrUrl, { ...example(), id: 'STRICT-OK' })).body.status_code, 1000, 'a conforming CDR is accepted')
    await emsp.admin('PUT', `/partners/${partnerId}/conformance`, { strict: false })
    t.equal(
      (await cpo.call('POST', cdrUrl, { ...example(), id: 'STRICT-1', total_energy: '15.342' })).body.status_code,
      1000,
      'tolerated again',
    )
  })

  t.test('the counters can be reset once the CPO fixed its feed; unknown partners are 404', async (t) => {
    t.match((await emsp.admin('DELETE', `/partners/${partnerId}/conformance`)).body, { total: 0, deviations: [] })
    t.equal((await emsp.admin('GET', '/partners/00000000-0000-4000-8000-000000000000/conformance')).status, 404)
  })
})
