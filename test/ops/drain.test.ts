import { request, Agent } from 'node:http'
import Fastify from 'fastify'
import t from 'tap'
import { drainOnClose } from '../../src/shutdown.js'

/** app.close(), or 'hung' when it did not resolve within the wait (the keep-alive timeout is 72 s). */
const closeWithin = (close: Promise<unknown>, ms: number) =>
  Promise.race([close.then(() => 'closed' as const), new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), ms).unref())])

t.test('a request under way on a keep-alive connection finishes, then the connection closes and close() resolves', async (t) => {
  const app = Fastify({ logger: false })
  drainOnClose(app)
  let release!: () => void
  const held = new Promise<void>((resolve) => (release = resolve))
  let entered!: () => void
  const inHandler = new Promise<void>((resolve) => (entered = resolve))
  app.get('/slow', async () => {
    entered()
    await held
    return { done: true }
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as { port: number }
  const agent = new Agent({ keepAlive: true })
  t.teardown(() => agent.destroy())
  const answer = new Promise<{ status?: number; connection?: string; body: string }>((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/slow', agent }, (res) => {
      let body = ''
      res.on('data', (c) => (body += c))
      res.on('end', () => resolve({ status: res.statusCode, connection: res.headers.connection, body }))
    })
      .once('error', reject)
      .end()
  })
  await inHandler
  const closing = app.close()
  setTimeout(release, 200)
  t.same(
    await answer,
    { status: 200, connection: 'close', body: '{"done":true}' },
    'the request under way is answered, with Connection: close',
  )
  t.equal(await closeWithin(closing, 10_000), 'closed', 'close() does not wait for the keep-alive timeout')
})

t.test('a hijacked response (an event stream) is ended by close()', async (t) => {
  const app = Fastify({ logger: false })
  drainOnClose(app)
  app.get('/events', (_req, reply) => {
    reply.hijack()
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream' })
    reply.raw.write(': open\n\n')
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as { port: number }
  const stream = await new Promise<{ ended: Promise<string> }>((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/events' }, (res) => {
      res.once('data', () => resolve({ ended: new Promise((done) => res.once('end', () => done('ended'))) }))
    })
      .once('error', reject)
      .end()
  })
  t.equal(await closeWithin(app.close(), 10_000), 'closed', 'close() resolves')
  t.equal(await stream.ended, 'ended', 'the client saw the stream end')
})
