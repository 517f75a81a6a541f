import t from 'tap'
import { TokenPatchSchema, TokenSchema } from '../../../src/ocpi/tokens/tokens.schema.js'
import { fixedClock } from '../../../src/platform/clock.js'
import { isValidContractId } from '../../../src/customers/index.js'
import { startTestApp } from '../../helpers/build-app.js'
import { startCpoSimulator } from '../../helpers/cpo-simulator.js'
import { freshDatabase } from '../../helpers/db.js'

const customer = (home = 'DE') => ({
  name: 'Erika Mustermann',
  email: 'erika@example.com',
  home_market: home,
  tariff: 'ACTIVE',
  vehicle: { vin: 'WBA11AA010CH12345', model: 'iX', delivery_date: '2026-10-01', is_new: true },
})

/** The eMSP on a fixed clock and a CPO that accepts token pushes and records them. */
const setup = async (tt: { teardown(fn: () => unknown): void }, opts: { database?: Awaited<ReturnType<typeof freshDatabase>> } = {}) => {
  const clock = fixedClock('2026-11-20T10:00:00.000Z')
  const emsp = await startTestApp(tt, { clock, database: opts.database })
  const { token_a, versions_url } = (await emsp.admin('POST', '/partners', { name: 'IONITY' })).body
  const cpo = await startCpoSimulator(tt, { countryCode: 'DE', partyId: 'ION' })
  await cpo.registerWith(versions_url, token_a)
  const ok = (_r: unknown, reply: { send(b: unknown): unknown }) => reply.send(cpo.envelope(undefined))
  cpo.on('PUT', /\/ocpi\/2\.2\.1\/tokens\//, ok)
  cpo.on('PATCH', /\/ocpi\/2\.2\.1\/tokens\//, ok)
  // The registration queues a full re-push (src/ocpi/tokens/README.md); run it while there is no token,
  // so the counts below are the pushes of the changes each test makes.
  await emsp.app.jobs.runDue()
  const pushes = () => cpo.requests.filter((r) => r.path.startsWith('/ocpi/2.2.1/tokens/') && (r.method === 'PUT' || r.method === 'PATCH'))
  const authorize = (uid: string, type?: string, body?: unknown) =>
    cpo.call('POST', `${cpo.endpointOfEmsp('tokens')}/${uid}/authorize${type ? `?type=${type}` : ''}`, body)
  return { clock, emsp, cpo, pushes, authorize }
}

t.test('customers, tokens, pushes and real-time authorization over HTTP', async (t) => {
  const { clock, emsp, cpo, pushes, authorize } = await setup(t)

  const created = await emsp.admin('POST', '/customers', customer())
  t.equal(created.status, 201)
  const { contract_id, tokens } = created.body
  t.match(contract_id, /^DE-BMW-C\d{8}-\d$/)
  t.ok(isValidContractId(contract_id), 'check digit is right')
  t.same(
    tokens.map((x: { type: string }) => x.type),
    ['APP_USER'],
  )
  t.match(tokens[0].uid, /^[0-9A-F]{32}$/)

  const card = await emsp.admin('POST', `/contracts/${contract_id}/cards`, {})
  t.equal(card.status, 201)
  t.match(card.body, { type: 'RFID', uid: /^[0-9A-F]{14}$/, visual_number: `${contract_id}-01` })

  t.test('both tokens reach the CPO as PUTs under our party, with ?type= and routing headers', async (t) => {
    await emsp.app.jobs.runDue()
    const sent = pushes()
    t.equal(sent.length, 2)
    const app = sent.find((r) => r.query.type === 'APP_USER')!
    t.equal(app.path, `/ocpi/2.2.1/tokens/DE/BMW/${tokens[0].uid}`)
    t.equal(app.method, 'PUT')
    t.ok(TokenSchema.safeParse(app.body).success, 'pushed body is a valid Token')
    t.match(app.body, {
      country_code: 'DE',
      party_id: 'BMW',
      uid: tokens[0].uid,
      type: 'APP_USER',
      contract_id,
      valid: true,
      whitelist: 'NEVER',
      issuer: 'BMW Charging',
      language: 'de',
    })
    t.match(app.headers, {
      'ocpi-from-country-code': 'DE',
      'ocpi-from-party-id': 'BMW',
      'ocpi-to-country-code': 'DE',
      'ocpi-to-party-id': 'ION',
    })
    const rfid = sent.find((r) => r.query.type === 'RFID')!
    t.match(rfid.body, {
      uid: card.body.uid,
      whitelist: 'ALLOWED',
      visual_number: card.body.visual_number,
      group_id: contract_id.replaceAll('-', ''),
    })
  })

  t.test('authorize: allowed, with the full token, the location echoed and a stored reference', async (t) => {
    const location = { location_id: 'LOC1', evse_uids: ['EVSE1'] }
    const res = await authorize(card.body.uid, 'RFID', location)
    t.equal(res.status, 200)
    t.equal(res.body.status_code, 1000)
    t.equal(res.body.data.allowed, 'ALLOWED')
    t.same(res.body.data.location, location)
    t.ok(TokenSchema.safeParse(res.body.data.token).success)
    t.equal(res.body.data.token.uid, card.body.uid)
    const ref = res.body.data.authorization_reference
    t.type(ref, 'string')
    const rows = await emsp.database.db.execute(
      `select token_uid, allowed, location_id from token_authorizations where reference = '${ref}'` as never,
    )
    const row = (Array.isArray(rows) ? rows : (rows as { rows: unknown[] }).rows)[0]
    t.same(row, { token_uid: card.body.uid, allowed: 'ALLOWED', location_id: 'LOC1' })
    const noType = await authorize(card.body.uid)
    t.equal(noType.body.data.allowed, 'ALLOWED', 'type defaults to RFID')
    const app = await authorize(tokens[0].uid, 'APP_USER')
    t.equal(app.body.data.allowed, 'ALLOWED')
  })

  t.test('authorize: the uid is a CiString, so our token in another case is found and served as issued', async (t) => {
    // 32 hex digits: without a letter in 1 of 3 million issues.
    const issued = tokens[0].uid
    const lower = issued.toLowerCase()
    t.not(lower, issued, 'the issued uid has letters to re-case')
    const res = await authorize(lower, 'APP_USER', { location_id: 'LOC1' })
    t.equal(res.status, 200, JSON.stringify(res.body))
    t.equal(res.body.data.allowed, 'ALLOWED')
    t.equal(res.body.data.token.uid, issued, 'the token as we issued it')
    const admin = await emsp.admin('GET', `/tokens/${lower}?type=APP_USER`)
    t.equal(admin.body.uid, issued, 'the admin look-up is case-insensitive too')
  })

  t.test('authorize: unknown token is HTTP 404 with 2004 and no data', async (t) => {
    const res = await authorize('DEADBEEF000000', 'RFID')
    t.equal(res.status, 404)
    t.equal(res.body.status_code, 2004)
    t.notOk('data' in res.body)
    const wrongType = await authorize(card.body.uid, 'APP_USER')
    t.equal(wrongType.status, 404, '(uid, type) identifies a token')
  })

  t.test('a lost card is replaced: old blocked (PATCH valid=false), new issued (PUT)', async (t) => {
    const before = pushes().length
    clock.advance(60_000)
    const replacement = await emsp.admin('POST', `/contracts/${contract_id}/cards`, { replaces_uid: card.body.uid })
    t.equal(replacement.status, 201)
    t.equal(replacement.body.visual_number, `${contract_id}-02`)
    const blocked = await authorize(card.body.uid, 'RFID')
    t.equal(blocked.body.data.allowed, 'BLOCKED')
    t.equal(blocked.body.data.token.valid, false)
    t.notOk(blocked.body.data.authorization_reference, 'no reference for a refusal')
    await emsp.app.jobs.runDue()
    const sent = pushes().slice(before)
    const patch = sent.find((r) => r.method === 'PATCH')!
    t.equal(patch.path, `/ocpi/2.2.1/tokens/DE/BMW/${card.body.uid}`)
    t.same(patch.body, { valid: false, last_updated: '2026-11-20T10:01:00Z' })
    t.ok(TokenPatchSchema.safeParse(patch.body).success)
    t.ok(sent.some((r) => r.method === 'PUT' && r.path.endsWith(replacement.body.uid)))
    const again = await emsp.admin('POST', `/tokens/${card.body.uid}/block?type=RFID`)
    t.equal(again.status, 200)
    await emsp.app.jobs.runDue()
    t.equal(pushes().length, before + 2, 'blocking twice pushes nothing new')
  })

  t.test('contract state decides: NO_CREDIT, EXPIRED, then terminated blocks every token', async (t) => {
    const uid = tokens[0].uid
    await emsp.admin('PATCH', `/contracts/${contract_id}`, { no_credit: true })
    t.equal((await authorize(uid, 'APP_USER')).body.data.allowed, 'NO_CREDIT')
    await emsp.admin('PATCH', `/contracts/${contract_id}`, { no_credit: false, state: 'cancelled', end_date: '2026-11-20' })
    t.equal((await authorize(uid, 'APP_USER')).body.data.allowed, 'ALLOWED', 'a cancelled contract charges through its end date')
    clock.advance(24 * 3_600_000)
    const expired = await authorize(uid, 'APP_USER')
    t.equal(expired.body.data.allowed, 'EXPIRED')
    t.match(expired.body.data.info, { language: 'en', text: /ended/ })
    const terminated = await emsp.admin('PATCH', `/contracts/${contract_id}`, { state: 'terminated' })
    t.equal(terminated.status, 200)
    t.ok(terminated.body.tokens.every((x: { valid: boolean }) => !x.valid))
    t.equal((await authorize(uid, 'APP_USER')).body.data.allowed, 'BLOCKED')
  })

  t.test('GET list: paginated with Link, X-Total-Count, filtered on last_updated', async (t) => {
    const page = await cpo.call('GET', `${cpo.endpointOfEmsp('tokens')}?limit=2`)
    t.equal(page.body.data.length, 2)
    t.equal(page.headers['x-total-count'], '3')
    t.match(page.headers.link, /offset=2/)
    for (const token of page.body.data) t.ok(TokenSchema.safeParse(token).success)
    const recent = await cpo.call('GET', `${cpo.endpointOfEmsp('tokens')}?date_from=2026-11-20T10:00:30Z`)
    t.ok(recent.body.data.length >= 2)
    t.ok(recent.body.data.every((x: { last_updated: string }) => x.last_updated >= '2026-11-20T10:00:30Z'))
    const bad = await cpo.call('GET', `${cpo.endpointOfEmsp('tokens')}?date_from=yesterday`)
    t.equal(bad.body.status_code, 2001)
  })
})

t.test('a CPO that is down gets every change, in order, when it is back; 429 honours Retry-After', async (t) => {
  const { clock, emsp, cpo, pushes } = await setup(t)
  const down = /\/ocpi\/2\.2\.1\/tokens\/DE\/BMW\//
  cpo.on('PUT', down, (_r, reply) => reply.code(503).send('down'))
  cpo.on('PATCH', down, (_r, reply) => reply.code(503).send('down'))
  const { contract_id } = (await emsp.admin('POST', '/customers', customer('SI'))).body
  const card = (await emsp.admin('POST', `/contracts/${contract_id}/cards`, {})).body
  await emsp.admin('POST', `/tokens/${card.uid}/block`)
  for (let minute = 0; minute < 60; minute += 1) {
    await emsp.app.jobs.runDue()
    clock.advance(60_000)
  }
  const failedAttempts = pushes().length
  t.ok(failedAttempts > 3, 'kept retrying while the CPO was down')
  const cardPushesDuringOutage = pushes().filter((r) => r.path.endsWith(card.uid))
  t.ok(
    cardPushesDuringOutage.every((r) => r.method === 'PUT'),
    'the PATCH waits behind the undelivered PUT',
  )
  cpo.off('PUT', down)
  cpo.off('PATCH', down)
  clock.advance(60_000)
  await emsp.app.jobs.runDue()
  const delivered = pushes().slice(failedAttempts)
  t.same(
    delivered.filter((r) => r.path.endsWith(card.uid)).map((r) => r.method),
    ['PUT', 'PATCH'],
    'card changes arrive once each, in order',
  )
  t.equal(delivered.filter((r) => r.query.type === 'APP_USER').length, 1)

  const before = pushes().length
  let first = true
  cpo.on('PATCH', down, (_r, reply) => {
    if (!first) return reply.send(cpo.envelope(undefined))
    first = false
    return reply
      .code(429)
      .header('retry-after', '120')
      .send(cpo.envelope(undefined, 2000, 'slow down'))
  })
  const second = (await emsp.admin('POST', `/contracts/${contract_id}/cards`, {})).body
  await emsp.app.jobs.runDue()
  await emsp.admin('POST', `/tokens/${second.uid}/block`)
  await emsp.app.jobs.runDue()
  t.equal(pushes().length, before + 2, 'PUT delivered, PATCH refused with 429')
  clock.advance(119_000)
  await emsp.app.jobs.runDue()
  t.equal(pushes().length, before + 2, 'not retried before Retry-After')
  clock.advance(2_000)
  await emsp.app.jobs.runDue()
  t.equal(pushes().length, before + 3, 'retried after Retry-After')
})

t.test('a 4xx refusal is not retried and does not block later changes', async (t) => {
  const { emsp, cpo, pushes } = await setup(t)
  const path = /\/ocpi\/2\.2\.1\/tokens\/DE\/BMW\//
  cpo.on('PUT', path, (_r, reply) => reply.code(400).send(cpo.envelope(undefined, 2001, 'bad token')))
  const { contract_id } = (await emsp.admin('POST', '/customers', customer('EE'))).body
  const card = (await emsp.admin('POST', `/contracts/${contract_id}/cards`, {})).body
  await emsp.admin('POST', `/tokens/${card.uid}/block`)
  await emsp.app.jobs.runDue()
  t.same(
    pushes()
      .filter((r) => r.path.endsWith(card.uid))
      .map((r) => r.method),
    ['PUT', 'PATCH'],
  )
  t.match(pushes().find((r) => r.query.type === 'APP_USER')?.body, { language: 'et' })
})

t.test('a restart with pending pushes loses nothing', async (t) => {
  const database = await freshDatabase(t)
  const cpo = await startCpoSimulator(t, { countryCode: 'DE', partyId: 'ION' })
  const ok = (_r: unknown, reply: { send(b: unknown): unknown }) => reply.send(cpo.envelope(undefined))
  cpo.on('PUT', /\/tokens\//, ok)
  cpo.on('PATCH', /\/tokens\//, ok)
  const pushes = () => cpo.requests.filter((r) => r.path.startsWith('/ocpi/2.2.1/tokens/'))
  let contractId = ''
  // The first instance lives in a subtest: its teardown closes it with the pushes still queued.
  await t.test('first instance: changes queued, nothing sent', async (tt) => {
    const emsp = await startTestApp(tt, { database })
    const { token_a, versions_url } = (await emsp.admin('POST', '/partners', { name: 'IONITY' })).body
    await cpo.registerWith(versions_url, token_a)
    await emsp.app.jobs.runDue() // the registration's re-push, with no token yet
    const created = (await emsp.admin('POST', '/customers', customer())).body
    contractId = created.contract_id
    await emsp.admin('POST', `/tokens/${created.tokens[0].uid}/block?type=APP_USER`)
    tt.equal(pushes().length, 0)
  })
  const second = await startTestApp(t, { database, startJobs: true })
  const deadline = Date.now() + 10_000
  while (pushes().length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
  t.same(
    pushes().map((r) => r.method),
    ['PUT', 'PATCH'],
    'the new instance delivered both, in order',
  )
  t.equal((pushes()[0]!.body as { contract_id: string }).contract_id, contractId)
  // Stop the loop before the teardowns close the database under it.
  await second.app.jobs.stop()
})

t.test('full re-push to one partner', async (t) => {
  const { emsp, pushes } = await setup(t)
  await emsp.admin('POST', '/customers', customer())
  await emsp.admin('POST', '/customers', customer('SI'))
  await emsp.app.jobs.runDue()
  t.equal(pushes().length, 2)
  const partner = (await emsp.admin('GET', '/partners')).body[0]
  const res = await emsp.admin('POST', `/partners/${partner.id}/push/tokens`)
  t.same(res.body, { queued: 2 })
  await emsp.app.jobs.runDue()
  t.equal(pushes().length, 4)
  t.ok(
    pushes()
      .slice(2)
      .every((r) => r.method === 'PUT'),
  )
})
