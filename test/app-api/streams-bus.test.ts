// The stream mechanics on their own (a bare Fastify, the in-process bus): no polling (an idle stream
// reads nothing), one read per event, heartbeat comments, the end when the state settles.
import Fastify from 'fastify'
import { request } from 'undici'
import t from 'tap'
import { createEventStreams } from '../../src/app-api/streams.js'
import { createEventBus } from '../../src/platform/events.js'

t.test('an idle stream reads nothing; each event one read; heartbeats; it ends once settled', async (t) => {
  const app = Fastify()
  const events = createEventBus({ database: {}, log: app.log })
  const streams = createEventStreams({ events, limits: { perCustomer: 2, total: 10, heartbeatMs: 40 } })
  let state = 'REQUESTED'
  let reads = 0
  app.get('/s', async (req, reply) =>
    streams.follow(req, reply, {
      customerId: 'c1',
      topic: 'command:1',
      first: state,
      event: 'state',
      read: async () => (reads++, state),
      render: (s) => JSON.stringify({ state: s }),
      settled: (s) => s === 'DONE',
    }),
  )
  await app.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(() => app.close())
  const { port } = app.server.address() as { port: number }
  const res = await request(`http://127.0.0.1:${port}/s`)
  const chunks: string[] = []
  res.body.on('data', (c: Buffer) => chunks.push(c.toString()))
  const ended = new Promise((r) => res.body.on('end', r))
  await new Promise((r) => setTimeout(r, 300))
  t.equal(reads, 1, 'one read at the start (a change before the subscription), none while idle')
  t.equal(streams.openCount(), 1)
  t.ok(chunks.join('').includes(': keep-alive\n\n'), 'heartbeat comments while idle')
  state = 'ACCEPTED'
  await events.publish('command:1', { state })
  await new Promise((r) => setTimeout(r, 50))
  t.equal(reads, 2, 'one read for the event')
  state = 'DONE'
  await events.publish('command:1', { state })
  await ended
  const sent = [...chunks.join('').matchAll(/event: state\ndata: (.*)\n\n/g)].map((m) => JSON.parse(m[1]!).state)
  t.same(sent, ['REQUESTED', 'ACCEPTED', 'DONE'])
  t.equal(streams.openCount(), 0, 'released')
  t.equal(events.subscriptions(), 0, 'unsubscribed')
})
