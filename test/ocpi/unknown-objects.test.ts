// The one rule for unknown objects (src/ocpi/v221/README.md "Unknown objects"): every module
// answers HTTP 404; OCPI 2003 for a Location or anything under it, 2004 for a Token, 2001 for
// every other object.
import { readFileSync } from 'node:fs'
import t from 'tap'
import { startTestApp } from '../helpers/build-app.js'
import { startCpoSimulator } from '../helpers/cpo-simulator.js'

const location = JSON.parse(readFileSync(new URL('../fixtures/ocpi/locations/location_example.json', import.meta.url), 'utf8'))

t.test('unknown objects: 404 with one OCPI status per kind of object, in every module', async (t) => {
  const emsp = await startTestApp(t)
  const { token_a, versions_url } = (await emsp.admin('POST', '/partners', { name: 'Becharged' })).body
  const cpo = await startCpoSimulator(t, { countryCode: 'BE', partyId: 'BEC' })
  await cpo.registerWith(versions_url, token_a)
  const url = (module: string, ...rest: string[]) => [cpo.endpointOfEmsp(module), ...rest].join('/')
  t.equal((await cpo.call('PUT', url('locations', 'BE', 'BEC', 'LOC1'), location)).status, 201)
  const later = '2030-01-01T00:00:00Z'

  const cases: [what: string, method: string, path: string, body: unknown, ocpi: number][] = [
    ['GET an unknown Location', 'GET', url('locations', 'BE', 'BEC', 'NOPE'), undefined, 2003],
    ['GET an unknown EVSE', 'GET', url('locations', 'BE', 'BEC', 'LOC1', 'NOPE'), undefined, 2003],
    ['GET an unknown Connector', 'GET', url('locations', 'BE', 'BEC', 'LOC1', '3256', '9'), undefined, 2003],
    ['PATCH an unknown Location', 'PATCH', url('locations', 'BE', 'BEC', 'NOPE'), { name: 'x', last_updated: later }, 2003],
    ['PATCH an unknown EVSE', 'PATCH', url('locations', 'BE', 'BEC', 'LOC1', 'NOPE'), { status: 'CHARGING', last_updated: later }, 2003],
    [
      'PUT a Connector of an unknown EVSE',
      'PUT',
      url('locations', 'BE', 'BEC', 'LOC1', 'NOPE', '1'),
      location.evses[0].connectors[0],
      2003,
    ],
    ['GET an unknown Session', 'GET', url('sessions', 'BE', 'BEC', 'NOPE'), undefined, 2001],
    ['PATCH an unknown Session', 'PATCH', url('sessions', 'BE', 'BEC', 'NOPE'), { kwh: 1, last_updated: later }, 2001],
    ['GET an unknown Tariff', 'GET', url('tariffs', 'BE', 'BEC', 'NOPE'), undefined, 2001],
    ['DELETE an unknown Tariff', 'DELETE', url('tariffs', 'BE', 'BEC', 'NOPE'), undefined, 2001],
    ['GET an unknown CDR', 'GET', url('cdrs', '00000000-0000-4000-8000-000000000000'), undefined, 2001],
    ['GET an unknown ClientInfo', 'GET', url('hubclientinfo', 'BE', 'BEC'), undefined, 2001],
    [
      'POST a CommandResult to an unknown command',
      'POST',
      `${emsp.url}/ocpi/2.2.1/commands/START_SESSION/00000000-0000-4000-8000-000000000000`,
      { result: 'ACCEPTED' },
      2001,
    ],
    ['authorize an unknown Token', 'POST', url('tokens', 'NOPE', 'authorize'), undefined, 2004],
  ]
  for (const [what, method, path, body, ocpi] of cases) {
    const res = await cpo.call(method, path, body)
    t.equal(res.status, 404, `${what}: HTTP 404`)
    t.equal(res.body.status_code, ocpi, `${what}: OCPI ${ocpi} (${res.body.status_message})`)
    t.type(res.body.status_message, 'string', `${what}: says what is unknown`)
  }
})
