// Server-sent event streams of the app (issue 16 item 10): pushed from the event bus, never polled;
// a bound per customer and per process (429 beyond); heartbeats; all ended at once on shutdown.
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { EventBus } from '../platform/events.js'
import { DomainError } from '../platform/errors.js'

export interface StreamLimits {
  /** APP_STREAMS_PER_CUSTOMER */
  perCustomer: number
  /** APP_STREAMS_TOTAL: per process */
  total: number
  /** A comment line this often keeps proxies from closing an idle stream (default 15 s). */
  heartbeatMs?: number
  /** A stream ends after this long whatever happens (default 10 minutes). */
  maxMs?: number
}

export interface FollowOptions<T> {
  customerId: string
  /** The event bus topic whose events mean "read again". */
  topic: string
  /** The state as the route read it (its 404 came before the stream opened). */
  first: T
  read: () => Promise<T>
  /** The `data:` of an `event: <event>`; sent only when it differs from the last one sent. */
  render: (value: T) => string
  /** The stream ends after sending a settled state. */
  settled: (value: T) => boolean
  event: string
}

/**
 * The open streams of this process. `follow` answers 429 (`too_many_streams`) beyond the limits,
 * before anything is written; each stream reads its object once per event on its topic (plus once
 * at the start, for a change between the route's read and the subscription).
 */
export const createEventStreams = (deps: { events: Pick<EventBus, 'subscribe'>; limits: StreamLimits }) => {
  const { perCustomer: perCustomerLimit, total } = deps.limits
  const heartbeatMs = deps.limits.heartbeatMs ?? 15_000
  const maxMs = deps.limits.maxMs ?? 10 * 60_000
  const open = new Set<() => void>()
  const byCustomer = new Map<string, number>()

  const reserve = (customerId: string) => {
    const mine = byCustomer.get(customerId) ?? 0
    if (mine >= perCustomerLimit) {
      throw new DomainError(
        'too_many_streams',
        `You already have ${mine} open event streams (at most ${perCustomerLimit}); close one, or read the command with GET instead.`,
        429,
        { limit: perCustomerLimit },
      )
    }
    if (open.size >= total)
      throw new DomainError(
        'too_many_streams',
        'The service has too many open event streams right now; please retry in a minute, or read the command with GET.',
        429,
        { limit: total },
      )
    byCustomer.set(customerId, mine + 1)
  }
  const release = (customerId: string) => {
    const left = (byCustomer.get(customerId) ?? 1) - 1
    if (left > 0) byCustomer.set(customerId, left)
    else byCustomer.delete(customerId)
  }

  const follow = <T>(req: FastifyRequest, reply: FastifyReply, o: FollowOptions<T>) => {
    reserve(o.customerId)
    reply.hijack()
    const res = reply.raw
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-request-id': req.id,
    })
    let last = ''
    let closed = false
    let reading = false
    let again = false
    const write = (text: string) => {
      if (!res.destroyed && !res.writableEnded) res.write(text)
    }
    const finish = () => {
      if (closed) return
      closed = true
      unsubscribe()
      clearInterval(heartbeat)
      clearTimeout(deadline)
      open.delete(finish)
      release(o.customerId)
      if (!res.writableEnded) res.end()
    }
    const emit = (value: T) => {
      const data = o.render(value)
      if (data !== last) write(`event: ${o.event}\ndata: ${data}\n\n`)
      last = data
      if (o.settled(value)) finish()
    }
    /** One read at a time; events during a read cause one more read after it. */
    const refresh = async () => {
      if (closed) return
      if (reading) {
        again = true
        return
      }
      reading = true
      try {
        do {
          again = false
          const value = await o.read()
          if (!closed) emit(value)
        } while (again && !closed)
      } catch (err) {
        req.log.warn({ err }, 'event stream read failed')
        finish()
      } finally {
        reading = false
      }
    }
    open.add(finish)
    const unsubscribe = deps.events.subscribe(o.topic, () => void refresh())
    const heartbeat = setInterval(() => write(': keep-alive\n\n'), heartbeatMs)
    const deadline = setTimeout(finish, maxMs)
    res.on('close', finish)
    emit(o.first)
    void refresh()
  }

  return {
    follow,
    /** Streams open in this process (the `emsp_app_event_streams` gauge). */
    openCount: () => open.size,
    /** Ends every stream now (shutdown: registered on the app's onClose). */
    closeAll: () => {
      for (const finish of [...open]) finish()
    },
  }
}

export type EventStreams = ReturnType<typeof createEventStreams>
