import t from 'tap'
import { customer } from '../../scripts/replay/objects.js'
import { fixedClock } from '../../src/platform/clock.js'
import { startTestApp } from '../helpers/build-app.js'
import { startCpoSimulator, type SimRequest } from '../helpers/cpo-simulator.js'
import { startTcpProxy } from '../helpers/tcp-proxy.js'

// The CPO's Tokens Receiver goes through phases: connections refused, then 429, then 500, then healthy.
t.test('a CPO that refuses connections, then answers 429 and 500, then recovers, gets every token change in order', async (t) => {
  const clock = fixedClock('2026-11-20T10:00:00.000Z')
  const emsp = await startTestApp(t, { clock })
  const proxy = await startTcpProxy(t)
  const cpo = await startCpoSimulator(t, { countryCode: 'DE', partyId: 'DWN', publicBaseUrl: proxy.url() })
  proxy.forwardTo(cpo.port)
  const { token_a, versions_url } = (await emsp.admin('POST', '/partners', { name: 'Flaky CPO' })).body
  t.equal((await cpo.registerWith(versions_url, token_a)).body.status_code, 1000)
  await emsp.app.jobs.runDue() // the registration's full re-push, before any token exists

  const answers: { req: SimRequest; status: number }[] = []
  let phase: 'limited' | 'broken' | 'healthy' = 'limited'
  let inPhase = 0
  const receiver = (
    req: SimRequest,
    reply: {
      code(n: number): { header(k: string, v: string): { send(b: unknown): unknown }; send(b: unknown): unknown }
      send(b: unknown): unknown
    },
  ) => {
    if (phase === 'limited' && inPhase++ < 3) {
      answers.push({ req, status: 429 })
      return reply
        .code(429)
        .header('retry-after', '30')
        .send(cpo.envelope(undefined, 2000, 'slow down'))
    }
    if (phase === 'limited') [phase, inPhase] = ['broken', 0]
    if (phase === 'broken' && inPhase++ < 3) {
      answers.push({ req, status: 500 })
      return reply.code(500).send('oops')
    }
    phase = 'healthy'
    answers.push({ req, status: 200 })
    return reply.send(cpo.envelope(undefined))
  }
  const tokens = /\/ocpi\/2\.2\.1\/tokens\//
  cpo.on('PUT', tokens, receiver as never)
  cpo.on('PATCH', tokens, receiver as never)

  // Connections refused: every change is made while the CPO is unreachable.
  await proxy.down()
  const expected = new Map<string, string[]>()
  for (let i = 0; i < 3; i++) {
    const c = (await emsp.admin('POST', '/customers', customer(i + 1, 'DE'))).body
    expected.set(`APP_USER/${c.tokens[0].uid}`, ['PUT'])
    const card = (await emsp.admin('POST', `/contracts/${c.contract_id}/cards`, {})).body
    t.equal((await emsp.admin('POST', `/tokens/${card.uid}/block`)).status, 200)
    expected.set(`RFID/${card.uid}`, ['PUT', 'PATCH'])
  }
  for (let minute = 0; minute < 10; minute++) {
    await emsp.app.jobs.runDue()
    clock.advance(60_000)
  }
  t.equal(answers.length, 0, 'nothing reached the CPO while it refused connections')

  await proxy.up()
  for (
    let minute = 0;
    minute < 30 && [...expected.values()].reduce((n, m) => n + m.length, 0) > answers.filter((a) => a.status === 200).length;
    minute++
  ) {
    await emsp.app.jobs.runDue()
    clock.advance(60_000)
  }
  t.equal(answers.filter((a) => a.status === 429).length, 3, 'three 429s served')
  t.equal(answers.filter((a) => a.status === 500).length, 3, 'three 500s served')
  const accepted = new Map<string, string[]>()
  for (const { req } of answers.filter((a) => a.status === 200)) {
    const key = `${req.query.type}/${req.path.split('/').pop()}`
    accepted.set(key, [...(accepted.get(key) ?? []), req.method])
  }
  t.same(
    Object.fromEntries([...accepted].sort()),
    Object.fromEntries([...expected].sort()),
    'each change delivered once, in order, per token',
  )
  for (const { req } of answers.filter((a) => a.status === 200 && a.req.method === 'PATCH'))
    t.match(req.body, { valid: false }, 'the block arrives last')
})
