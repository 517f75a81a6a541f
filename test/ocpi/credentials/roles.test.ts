// A partner cannot give itself rights (issue 16): the roles it holds are the operator's decision.
// One eMSP; each case registers its own CPO or hub simulators (the parties differ per case).
import { readFileSync } from 'node:fs'
import t from 'tap'
import { startTestApp, tokenHeader } from '../../helpers/build-app.js'
import { startCpoSimulator } from '../../helpers/cpo-simulator.js'

const fixture = (path: string) => JSON.parse(readFileSync(new URL(`../../fixtures/ocpi/${path}`, import.meta.url), 'utf8'))
const role = (role: string, country_code: string, party_id: string) => ({
  role,
  country_code,
  party_id,
  business_details: { name: `${role} ${party_id}` },
})
const ref = (role: string, country_code: string, party_id: string) => ({ role, country_code, party_id })
const later = (minutes: number) => new Date(Date.UTC(2030, 0, 1, 0, minutes)).toISOString()

t.test("partner roles are the operator's decision", async (t) => {
  const emsp = await startTestApp(t)
  const partner = async (name: string, roles?: ReturnType<typeof ref>[]) =>
    (await emsp.admin('POST', '/partners', { name, ...(roles ? { roles } : {}) })).body
  const view = async (id: string) => (await emsp.admin('GET', `/partners/${id}`)).body
  const pending = async () =>
    (await emsp.admin('GET', '/role-requests')).body as {
      id: string
      partner_id: string
      role: string
      country_code: string
      party_id: string
      reason: string
    }[]

  // A CPO registered directly, with a Location, a Session and a CDR of its own.
  const ionity = await partner('IONITY')
  const ion = await startCpoSimulator(t, { countryCode: 'DE', partyId: 'ION' })
  t.equal((await ion.registerWith(ionity.versions_url, ionity.token_a)).body.status_code, 1000)
  const ionLocation = { ...fixture('locations/location_example.json'), country_code: 'DE', party_id: 'ION', id: 'ION-1' }
  t.equal((await ion.call('PUT', `${ion.endpointOfEmsp('locations')}/DE/ION/ION-1`, ionLocation)).status, 201)
  const ionSession = { ...fixture('sessions/session_example_1_simple_start.json'), country_code: 'DE', party_id: 'ION', id: 'ION-S1' }
  t.equal((await ion.call('PUT', `${ion.endpointOfEmsp('sessions')}/DE/ION/ION-S1`, ionSession)).status, 201)

  t.test('a partner that declares itself a HUB gets nothing: the role waits for the operator', async (t) => {
    const created = await partner('Self-declared hub')
    const hub = await startCpoSimulator(t, { countryCode: 'DE', partyId: 'HXX', roles: [role('HUB', 'DE', 'HXX')] })
    const res = await hub.registerWith(created.versions_url, created.token_a)
    t.equal(res.body.status_code, 1000, 'the connection is registered')
    t.match(res.body.status_message, /HUB DE\/HXX.*approval/, 'and told the role waits')
    const held = await view(created.id)
    t.same(held.roles, [], 'no role granted')
    t.match(held.pending_role_requests, [
      { role: 'HUB', country_code: 'DE', party_id: 'HXX', reason: 'hub_not_approved', state: 'PENDING' },
    ])
    t.ok(
      (await pending()).some((r) => r.partner_id === created.id && r.role === 'HUB'),
      'listed for the operator',
    )

    // The attack of issue 16: another CPO's Location, Session, status and CDR.
    const locations = hub.endpointOfEmsp('locations')
    const overwrite = await hub.call('PUT', `${locations}/DE/ION/ION-1`, { ...ionLocation, name: 'Hijacked', last_updated: later(1) })
    t.equal(overwrite.status, 404)
    t.equal(overwrite.body.status_code, 2001)
    t.equal((await hub.call('GET', `${hub.endpointOfEmsp('sessions')}/DE/ION/ION-S1`)).status, 404, "cannot read the CPO's session")
    t.equal((await hub.call('PATCH', `${locations}/DE/ION/ION-1/3256`, { status: 'OUTOFORDER', last_updated: later(2) })).status, 404)
    const offline = await hub.call('PUT', `${hub.endpointOfEmsp('hubclientinfo')}/DE/ION`, {
      country_code: 'DE',
      party_id: 'ION',
      role: 'CPO',
      status: 'OFFLINE',
      last_updated: later(3),
    })
    t.equal(offline.status, 404, 'cannot report the CPO offline')
    const cdr = { ...fixture('cdrs/cdr_example.json'), country_code: 'DE', party_id: 'ION', id: 'FAKE-1' }
    t.equal((await hub.call('POST', hub.endpointOfEmsp('cdrs'), cdr)).body.status_code, 2001, 'cannot post a CDR as the CPO')
    const stored = (await ion.call('GET', `${locations}/DE/ION/ION-1`)).body.data
    t.equal(stored.name, ionLocation.name, 'the Location is untouched')
    t.equal(stored.evses[0].status, 'AVAILABLE')
  })

  t.test("a registered CPO cannot add another partner's party with PUT /credentials; a new party waits", async (t) => {
    const created = await partner('Small CPO')
    const cpo = await startCpoSimulator(t, { countryCode: 'DE', partyId: 'SML' })
    t.equal((await cpo.registerWith(created.versions_url, created.token_a)).body.status_code, 1000)
    t.same((await view(created.id)).approved_roles, [ref('CPO', 'DE', 'SML')], 'its first registration fixed its roles')
    cpo.setRoles([role('CPO', 'DE', 'SML'), role('CPO', 'de', 'sml')])
    t.equal((await cpo.rotateWith()).body.status_code, 1000, 'a role listed twice is one claim (no 500)')

    cpo.setRoles([role('CPO', 'DE', 'SML'), role('CPO', 'DE', 'ION')])
    const grab = await cpo.rotateWith()
    t.equal(grab.body.status_code, 2001)
    t.match(grab.body.status_message, /CPO DE\/ION \(another partner holds this party\)/)
    t.same(
      (await view(created.id)).roles.map((r: { party_id: string }) => r.party_id),
      ['SML'],
      'nothing changed',
    )
    const write = await cpo.call('PUT', `${cpo.endpointOfEmsp('locations')}/DE/ION/ION-1`, {
      ...ionLocation,
      name: 'Hijacked',
      last_updated: later(4),
    })
    t.equal(write.status, 404)

    cpo.setRoles([role('CPO', 'DE', 'SML'), role('CPO', 'DE', 'NEW')])
    const extend = await cpo.rotateWith()
    t.equal(extend.body.status_code, 1000, 'the update itself goes through')
    t.match(extend.body.status_message, /CPO DE\/NEW \(not among the roles approved/)
    const newLocation = { ...ionLocation, country_code: 'DE', party_id: 'NEW', id: 'NEW-1', last_updated: later(5) }
    t.equal(
      (await cpo.call('PUT', `${cpo.endpointOfEmsp('locations')}/DE/NEW/NEW-1`, newLocation)).status,
      404,
      'not before the operator approves',
    )
    const request = (await pending()).find((r) => r.partner_id === created.id && r.party_id === 'NEW')!
    t.match(request, { role: 'CPO', country_code: 'DE', reason: 'not_approved' })
    const approved = await emsp.admin('POST', `/role-requests/${request.id}/approve`, { note: 'contract signed' })
    t.match(approved.body, { state: 'APPROVED', note: 'contract signed' })
    t.equal((await cpo.call('PUT', `${cpo.endpointOfEmsp('locations')}/DE/NEW/NEW-1`, newLocation)).status, 201, 'granted at once')
    t.match(await view(created.id), { roles: [{ party_id: 'NEW' }, { party_id: 'SML' }], pending_role_requests: [] })
    const again = await emsp.admin('POST', `/role-requests/${request.id}/refuse`)
    t.equal(again.body.code, 'role_request_decided', JSON.stringify(again.body))
  })

  t.test("roles at creation: claimed roles are granted within them; a reserved party is nobody else's", async (t) => {
    t.equal(
      (await emsp.admin('POST', '/partners', { name: 'Clash', roles: [ref('CPO', 'DE', 'ION')] })).body.code,
      'party_held',
      'IONITY holds DE/ION',
    )
    const bad = await emsp.admin('POST', '/partners', { name: 'Bad', roles: [{ role: 'BOSS', country_code: 'DE', party_id: 'X' }] })
    t.equal(bad.status, 400)

    const created = await partner('Mer', [ref('CPO', 'NO', 'MER'), ref('CPO', 'SE', 'MER')])
    const squatter = await partner('Squatter')
    const early = await startCpoSimulator(t, { countryCode: 'SE', partyId: 'MER' })
    const refused = await early.registerWith(squatter.versions_url, squatter.token_a)
    t.equal(refused.body.status_code, 2001, 'a party reserved for another partner is refused')
    t.equal((await view(squatter.id)).state, 'PENDING', 'nothing registered')

    const mer = await startCpoSimulator(t, {
      countryCode: 'NO',
      partyId: 'MER',
      roles: [role('CPO', 'NO', 'MER'), role('CPO', 'DK', 'MER'), role('HUB', 'NO', 'MER')],
    })
    const res = await mer.registerWith(created.versions_url, created.token_a)
    t.equal(res.body.status_code, 1000)
    const held = await view(created.id)
    t.same(
      held.roles.map((r: { role: string; party_id: string; country_code: string }) => `${r.role} ${r.country_code}/${r.party_id}`),
      ['CPO NO/MER'],
      'a subset of the approved roles',
    )
    t.same(
      held.pending_role_requests
        .map((r: { role: string; country_code: string; reason: string }) => `${r.role} ${r.country_code} ${r.reason}`)
        .sort(),
      ['CPO DK not_approved', 'HUB NO hub_not_approved'],
    )
    const hubRequest = held.pending_role_requests.find((r: { role: string }) => r.role === 'HUB')
    t.match((await emsp.admin('POST', `/role-requests/${hubRequest.id}/refuse`, { note: 'not a hub' })).body, { state: 'REFUSED' })
    t.notOk((await view(created.id)).roles.some((r: { role: string }) => r.role === 'HUB'))
    t.ok(
      (await emsp.admin('GET', `/role-requests?state=ALL&partner_id=${created.id}`)).body.some(
        (r: { state: string }) => r.state === 'REFUSED',
      ),
    )

    // Without the DK role in its next credentials, its pending request is withdrawn.
    mer.setRoles([role('CPO', 'NO', 'MER')])
    t.equal((await mer.rotateWith()).body.status_code, 1000)
    t.same((await view(created.id)).pending_role_requests, [])
  })

  t.test('an approved hub acts for the parties it announced, never for one registered directly', async (t) => {
    const created = await partner('Roaming hub', [ref('HUB', 'DE', 'HUB')])
    const hub = await startCpoSimulator(t, { countryCode: 'DE', partyId: 'HUB', roles: [role('HUB', 'DE', 'HUB')] })
    t.equal((await hub.registerWith(created.versions_url, created.token_a)).body.status_code, 1000)
    t.match(await view(created.id), { roles: [{ role: 'HUB', country_code: 'DE', party_id: 'HUB' }], pending_role_requests: [] })
    const info = hub.endpointOfEmsp('hubclientinfo')
    const nlLocation = { ...ionLocation, country_code: 'NL', party_id: 'XYZ', id: 'NL-1' }
    const push = () => hub.call('PUT', `${hub.endpointOfEmsp('locations')}/NL/XYZ/NL-1`, nlLocation)
    t.equal((await push()).status, 404, 'not before it announced NL/XYZ')
    t.equal(
      (
        await hub.call('PUT', `${info}/NL/XYZ`, {
          country_code: 'NL',
          party_id: 'XYZ',
          role: 'CPO',
          status: 'CONNECTED',
          last_updated: later(10),
        })
      ).status,
      201,
    )
    t.equal((await push()).status, 201, 'announced: the hub relays it')
    t.same((await view(created.id)).hub_parties, [{ country_code: 'NL', party_id: 'XYZ' }])

    const announceIon = await hub.call('PUT', `${info}/DE/ION`, {
      country_code: 'DE',
      party_id: 'ION',
      role: 'CPO',
      status: 'OFFLINE',
      last_updated: later(11),
    })
    t.equal(announceIon.status, 404)
    t.match(announceIon.body.status_message, /directly by another partner/)
    t.equal(
      (
        await hub.call('PUT', `${hub.endpointOfEmsp('locations')}/DE/ION/ION-1`, {
          ...ionLocation,
          name: 'Hijacked',
          last_updated: later(12),
        })
      ).status,
      404,
    )

    // NL/XYZ connects directly later: from then on it is no longer the hub's to act for.
    const xyz = await partner('XYZ direct')
    const direct = await startCpoSimulator(t, { countryCode: 'NL', partyId: 'XYZ' })
    t.equal((await direct.registerWith(xyz.versions_url, xyz.token_a)).body.status_code, 1000)
    t.equal(
      (await hub.call('PUT', `${hub.endpointOfEmsp('locations')}/NL/XYZ/NL-1`, { ...nlLocation, last_updated: later(13) })).status,
      404,
    )
  })

  t.test('six concurrent registrations with one token A: exactly one wins, the others get a clear 4xx', async (t) => {
    const created = await partner('Racer')
    const cpo = await startCpoSimulator(t, { countryCode: 'DE', partyId: 'RAC' })
    // What the simulator's registerWith does, six times at once: the same token B and credentials.
    const tokenB = 'race-token-b-0123456789'
    cpo.state.tokenFromEmsp = tokenB
    const body = { token: tokenB, url: cpo.versionsUrl, roles: [role('CPO', 'DE', 'RAC')] }
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => emsp.ocpi('POST', '/ocpi/2.2.1/credentials', { authorization: tokenHeader(created.token_a), body })),
    )
    const statuses = answers.map((a) => a.status)
    t.equal(answers.filter((a) => a.status === 200 && a.body.status_code === 1000).length, 1, `one registration (${statuses})`)
    t.ok(
      statuses.every((s) => s < 500),
      `no 5xx (${statuses})`,
    )
    for (const a of answers.filter((x) => x.status !== 200)) {
      t.ok([401, 405].includes(a.status), `HTTP ${a.status}: ${a.body.status_message}`)
      t.type(a.body.status_message, 'string')
    }
    t.match(await view(created.id), { state: 'REGISTERED', roles: [{ role: 'CPO', country_code: 'DE', party_id: 'RAC' }] })
  })
})
