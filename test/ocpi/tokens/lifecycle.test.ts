// Tokens over the partner and contract lifecycle: a registration gets every token pushed, and the
// daily expiry blocks the tokens of ended contracts at every CPO (issue 4, loose ends).
import t from 'tap'
import { expiryRunAt, EXPIRY_QUEUE } from '../../../src/ocpi/tokens/tokens.expiry.js'
import { TokenPatchSchema } from '../../../src/ocpi/tokens/tokens.schema.js'
import { fixedClock } from '../../../src/platform/clock.js'
import { startTestApp } from '../../helpers/build-app.js'
import { startCpoSimulator } from '../../helpers/cpo-simulator.js'

const customer = (name: string) => ({
  name,
  email: `${name.toLowerCase()}@example.com`,
  home_market: 'DE',
  tariff: 'ACTIVE',
  vehicle: { vin: 'WBA11AA010CH12345', model: 'iX', delivery_date: '2026-10-01' },
})

type Emsp = Awaited<ReturnType<typeof startTestApp>>

/** A CPO that accepts token pushes; `pushes()` lists the token PUTs/PATCHes it received. */
const tokenReceivingCpo = async (tt: Parameters<typeof startCpoSimulator>[0], partyId: string) => {
  const cpo = await startCpoSimulator(tt, { countryCode: 'DE', partyId })
  const ok = (_r: unknown, reply: { send(b: unknown): unknown }) => reply.send(cpo.envelope(undefined))
  cpo.on('PUT', /\/ocpi\/2\.2\.1\/tokens\//, ok)
  cpo.on('PATCH', /\/ocpi\/2\.2\.1\/tokens\//, ok)
  const pushes = () => cpo.requests.filter((r) => r.path.startsWith('/ocpi/2.2.1/tokens/') && (r.method === 'PUT' || r.method === 'PATCH'))
  return { cpo, pushes }
}

/** A customer with its APP_USER token and one RFID card; answers the contract id and both uids. */
const customerWithCard = async (emsp: Emsp, name: string) => {
  const created = await emsp.admin('POST', '/customers', customer(name))
  const card = await emsp.admin('POST', `/contracts/${created.body.contract_id}/cards`, {})
  return { contractId: created.body.contract_id as string, uids: [created.body.tokens[0].uid as string, card.body.uid as string] }
}

const tokenOf = async (emsp: Emsp, uid: string) =>
  (await emsp.admin('GET', `/tokens/${uid}?type=${uid.length === 14 ? 'RFID' : 'APP_USER'}`)).body

t.test('a partner that completes registration gets all our tokens', async (t) => {
  const emsp = await startTestApp(t, { clock: fixedClock('2026-11-20T10:00:00.000Z') })
  const anna = await customerWithCard(emsp, 'Anna')
  const ben = await customerWithCard(emsp, 'Ben')
  await emsp.app.jobs.runDue()
  const expected = [...anna.uids, ...ben.uids].sort()

  t.test('the partner registers with us (POST /credentials)', async (t) => {
    const { token_a, versions_url } = (await emsp.admin('POST', '/partners', { name: 'IONITY' })).body
    const { cpo, pushes } = await tokenReceivingCpo(t, 'ION')
    await cpo.registerWith(versions_url, token_a)
    await emsp.app.jobs.runDue()
    t.same(
      pushes().map((r) => r.method),
      ['PUT', 'PUT', 'PUT', 'PUT'],
    )
    t.same(
      pushes()
        .map((r) => r.path.split('/').at(-1))
        .sort(),
      expected,
      'every token of every customer, once',
    )
    t.ok(pushes().every((r) => r.path.startsWith('/ocpi/2.2.1/tokens/DE/BMW/') && (r.body as { valid?: boolean }).valid === true))
  })

  t.test('we register with the partner (admin POST /partners/{id}/register)', async (t) => {
    const { cpo, pushes } = await tokenReceivingCpo(t, 'MER')
    const { id } = (await emsp.admin('POST', '/partners', { name: 'Mer' })).body
    const reg = await emsp.admin('POST', `/partners/${id}/register`, { versions_url: cpo.versionsUrl, token: cpo.state.tokenA })
    t.equal(reg.status, 200, JSON.stringify(reg.body))
    await emsp.app.jobs.runDue()
    t.same(
      pushes()
        .map((r) => r.path.split('/').at(-1))
        .sort(),
      expected,
    )
  })
})

t.test('the daily expiry blocks the tokens of ended contracts at every CPO', async (t) => {
  const clock = fixedClock('2026-11-20T10:00:00.000Z')
  const emsp = await startTestApp(t, { clock })
  const { token_a, versions_url } = (await emsp.admin('POST', '/partners', { name: 'IONITY' })).body
  const { cpo, pushes } = await tokenReceivingCpo(t, 'ION')
  await cpo.registerWith(versions_url, token_a)
  await emsp.app.jobs.runDue() // the registration's re-push, with no token yet
  const ended = await customerWithCard(emsp, 'Ended') // cancelled, last day yesterday
  const lastDay = await customerWithCard(emsp, 'LastDay') // cancelled, last day today
  const active = await customerWithCard(emsp, 'Active')
  t.equal((await emsp.admin('PATCH', `/contracts/${ended.contractId}`, { state: 'cancelled', end_date: '2026-11-19' })).status, 200)
  t.equal((await emsp.admin('PATCH', `/contracts/${lastDay.contractId}`, { state: 'cancelled', end_date: '2026-11-20' })).status, 200)
  await emsp.app.jobs.runDue()
  const before = pushes().length
  t.equal(before, 6, 'the six PUTs of the issued tokens')
  const patchesOf = (uids: string[]) =>
    pushes()
      .slice(before)
      .filter((r) => r.method === 'PATCH' && uids.includes(r.path.split('/').at(-1)!))

  const runDay = async (day: string, dedupeKey = day) => {
    await emsp.app.jobs.enqueue(emsp.database.db, {
      queue: EXPIRY_QUEUE,
      payload: { day, asOf: expiryRunAt(day).toISOString() },
      dedupeKey,
      runAt: expiryRunAt(day),
    })
    await emsp.app.jobs.runDue()
  }

  await t.test('the run of 2026-11-20 blocks the ended contract only and queues the PATCH valid=false', async (t) => {
    await runDay('2026-11-20')
    for (const uid of ended.uids) t.match(await tokenOf(emsp, uid), { valid: false, blocked_reason: 'contract_ended' }, uid)
    for (const uid of [...lastDay.uids, ...active.uids]) t.match(await tokenOf(emsp, uid), { valid: true }, uid)
    const sent = patchesOf(ended.uids)
    t.equal(sent.length, 2)
    t.ok(sent.every((r) => TokenPatchSchema.safeParse(r.body).success && (r.body as { valid?: boolean }).valid === false))
    t.equal(pushes().length, before + 2, 'nothing for the other contracts')
  })

  await t.test('running it again changes nothing', async (t) => {
    const tokensBefore = await Promise.all(ended.uids.map((uid) => tokenOf(emsp, uid)))
    const pushed = pushes().length
    await runDay('2026-11-20', '2026-11-20:again')
    t.same(await Promise.all(ended.uids.map((uid) => tokenOf(emsp, uid))), tokensBefore)
    t.equal(pushes().length, pushed)
    t.equal(
      await emsp.app.jobs.enqueue(emsp.database.db, { queue: EXPIRY_QUEUE, payload: { day: '2026-11-20' }, dedupeKey: '2026-11-20' }),
      undefined,
      'one run per day (dedupe key)',
    )
  })

  await t.test('each run schedules the next day: on 2026-11-21 the contract that ended on the 20th is blocked', async (t) => {
    clock.set('2026-11-21T00:06:00.000Z')
    const pushed = pushes().length
    await emsp.app.jobs.runDue()
    for (const uid of lastDay.uids) t.match(await tokenOf(emsp, uid), { valid: false, blocked_reason: 'contract_ended' }, uid)
    for (const uid of active.uids) t.match(await tokenOf(emsp, uid), { valid: true }, uid)
    t.equal(pushes().length, pushed + 2)
    t.equal(patchesOf(lastDay.uids).length, 2)
  })
})

t.test("a started app schedules today's expiry run once", async (t) => {
  const clock = fixedClock('2026-11-20T10:00:00.000Z')
  const emsp = await startTestApp(t, { clock, startJobs: true })
  const rows = await emsp.database.db.execute(`select dedupe_key from jobs where queue = '${EXPIRY_QUEUE}' order by dedupe_key` as never)
  const keys = (Array.isArray(rows) ? rows : (rows as { rows: { dedupe_key: string }[] }).rows).map(
    (r: { dedupe_key: string }) => r.dedupe_key,
  )
  t.ok(keys.includes('2026-11-20'), JSON.stringify(keys))
  t.equal(new Set(keys).size, keys.length)
})
