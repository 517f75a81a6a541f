import { readFileSync } from 'node:fs'
import t from 'tap'
import { createHubClientInfoService } from '../../../src/ocpi/hubclientinfo/hubclientinfo.service.js'
import { startTestApp } from '../../helpers/build-app.js'
import { startCpoSimulator } from '../../helpers/cpo-simulator.js'

const example = JSON.parse(
  readFileSync(
    new URL('../../fixtures/ocpi/hubclientinfo/mod_hub_client_info_example_put_a_new_clientinfo_object.json', import.meta.url),
    'utf8',
  ),
)

// One eMSP for the file (subtests run one after another); each subtest registers its own partner.
// `t.end()` below ends the file once they have run, which closes it.
const emsp = await startTestApp(t)

const setup = async (
  tt: { teardown(fn: () => unknown): void },
  roles: { role: string; country_code: string; party_id: string; business_details: { name: string } }[],
) => {
  // The operator approves the roles (a HUB role needs it).
  const approved = roles.map(({ role, country_code, party_id }) => ({ role, country_code, party_id }))
  const { id, token_a, versions_url } = (await emsp.admin('POST', '/partners', { name: 'Hub', roles: approved })).body
  const hub = await startCpoSimulator(tt, { countryCode: roles[0]!.country_code, partyId: roles[0]!.party_id, roles })
  await hub.registerWith(versions_url, token_a)
  const service = createHubClientInfoService({ db: emsp.database.db, partners: { partyHeldByOther: async () => false } })
  return { emsp, hub, url: hub.endpointOfEmsp('hubclientinfo'), status: (cc: string, pid: string) => service.partyStatus(id, cc, pid) }
}

t.test('a hub reports parties; partyStatus follows the newest report; older reports are ignored', async (t) => {
  const { hub, url, status } = await setup(t, [{ role: 'HUB', country_code: 'DE', party_id: 'HUB', business_details: { name: 'Hub' } }])
  const bad = await hub.call('PUT', `${url}/NL/ALL`, example)
  t.equal(bad.body.status_code, 2001, 'the spec example lacks last_updated')
  t.match(bad.body.status_message, /last_updated/)
  t.equal(await status('NL', 'ALL'), undefined)

  const planned = { ...example, last_updated: '2026-01-01T00:00:00Z' }
  t.equal((await hub.call('PUT', `${url}/NL/ALL`, planned)).status, 201)
  t.equal(await status('nl', 'all'), 'PLANNED')
  await hub.call('PUT', `${url}/NL/ALL`, { ...example, status: 'CONNECTED', last_updated: '2026-01-02T00:00:00Z' })
  const stale = await hub.call('PUT', `${url}/NL/ALL`, { ...example, status: 'OFFLINE', last_updated: '2026-01-01T12:00:00Z' })
  t.match(stale.body.status_message, /newer/)
  t.equal(await status('NL', 'ALL'), 'CONNECTED')
  const got = await hub.call('GET', `${url}/NL/ALL`)
  t.same(got.body.data, { ...example, status: 'CONNECTED', last_updated: '2026-01-02T00:00:00.000Z' })
  t.equal((await hub.call('GET', `${url}/FR/XYZ`)).status, 404)
  const mismatch = await hub.call('PUT', `${url}/FR/XYZ`, planned)
  t.equal(mismatch.body.status_code, 2001)
  t.equal(await status('FR', 'XYZ'), undefined)
})

t.test('a plain CPO may only report its own party', async (t) => {
  const { hub, url, status } = await setup(t, [{ role: 'CPO', country_code: 'DE', party_id: 'ION', business_details: { name: 'CPO' } }])
  const res = await hub.call('PUT', `${url}/NL/ALL`, { ...example, last_updated: '2026-01-01T00:00:00Z' })
  t.equal(res.status, 404)
  t.equal(res.body.status_code, 2001)
  t.equal(await status('NL', 'ALL'), undefined)
  const own = await hub.call('PUT', `${url}/DE/ION`, {
    ...example,
    country_code: 'DE',
    party_id: 'ION',
    status: 'SUSPENDED',
    last_updated: '2026-01-01T00:00:00Z',
  })
  t.equal(own.body.status_code, 1000)
  t.equal(await status('DE', 'ION'), 'SUSPENDED')
})

t.end()
