import type { ServerResponse } from 'node:http'
import type { FastifyInstance, FastifyReply } from 'fastify'

/**
 * Makes `app.close()` finish promptly while clients are connected:
 * - responses taken over by a route (`reply.hijack()`: the app's event streams) are ended at once,
 *   instead of the listener waiting for clients that never hang up;
 * - requests under way finish, but their keep-alive connection closes after the answer
 *   (`Connection: close`), instead of the listener waiting the keep-alive timeout (72 s).
 * Registered first, so it runs before the job runner's (slower) stop.
 */
export const drainOnClose = (app: FastifyInstance) => {
  const open = new Map<ServerResponse, FastifyReply>()
  let closing = false
  app.addHook('onRequest', (_req, reply, done) => {
    const raw = reply.raw
    open.set(raw, reply)
    raw.once('close', () => open.delete(raw))
    done()
  })
  app.addHook('onSend', (_req, reply, payload, done) => {
    if (closing) reply.header('connection', 'close')
    done(null, payload)
  })
  app.addHook('preClose', (done) => {
    closing = true
    app.server.keepAliveTimeout = 1 // an answer under way when we started closing: its connection ends after it
    for (const [raw, reply] of open) {
      // `sent` before the route answered = hijacked, i.e. a stream the route writes itself
      if (reply.sent && !raw.writableEnded) raw.end()
    }
    done()
  })
}
