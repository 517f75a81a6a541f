// The event bus: a write publishes what changed once it committed; readers (the app's event streams)
// subscribe instead of polling. On PostgreSQL it is LISTEN/NOTIFY on one channel, so a write on one
// instance reaches the streams of every instance; on PGlite (one process) it stays in process.
import type { FastifyBaseLogger } from 'fastify'
import type { Database } from '../db/client.js'

export type EventPayload = Record<string, unknown>
export type EventListener = (payload: EventPayload) => void

export interface EventBus {
  /** Call after the write committed. Never throws: a lost event is logged (streams resync on reconnect). */
  publish(topic: string, payload?: EventPayload): Promise<void>
  /** Calls `listener` for each event on `topic`; answers the unsubscribe function. */
  subscribe(topic: string, listener: EventListener): () => void
  /** Subscriptions held in this process (for tests and metrics). */
  subscriptions(): number
  close(): Promise<void>
}

/** The one NOTIFY channel; the topic travels in the payload. */
export const EVENTS_CHANNEL = 'emsp_events'
/** NOTIFY payloads must stay under 8000 bytes; a larger event travels without its payload. */
const MAX_NOTIFY_BYTES = 7900
/** Delivered to every subscriber once the listening connection is (again) up: events may have been missed. */
export const RESYNC: EventPayload = Object.freeze({ resync: true })

export const createEventBus = (deps: { database: Pick<Database, 'notifications'>; log: FastifyBaseLogger }): EventBus => {
  const topics = new Map<string, Set<EventListener>>()
  let count = 0
  const deliver = (topic: string, payload: EventPayload) => {
    for (const listener of [...(topics.get(topic) ?? [])]) {
      try {
        listener(payload)
      } catch (err) {
        deps.log.warn({ err, topic }, 'event listener failed')
      }
    }
  }
  const deliverAll = (payload: EventPayload) => {
    for (const topic of [...topics.keys()]) deliver(topic, payload)
  }

  const pg = deps.database.notifications
  let listening: Promise<{ unlisten(): Promise<void> }> | undefined
  let closed = false
  /** One LISTEN per process, opened with the first subscription; every (re)connect resyncs every stream. */
  const listen = () => {
    if (!pg || listening || closed) return
    listening = pg.listen(
      EVENTS_CHANNEL,
      (raw) => {
        try {
          const { t, p } = JSON.parse(raw) as { t: string; p?: EventPayload }
          if (typeof t === 'string') deliver(t, p ?? {})
        } catch (err) {
          deps.log.warn({ err }, 'unreadable event notification')
        }
      },
      // On every connect, the first included: a stream that subscribed before the LISTEN was active may have
      // missed an event (a CommandResult written on another instance in those milliseconds), so it reads again.
      () => deliverAll(RESYNC),
    )
    listening.catch((err) => {
      deps.log.error({ err }, 'could not LISTEN for events; streams resync on the next subscription')
      listening = undefined
      deliverAll(RESYNC)
    })
  }

  return {
    publish: async (topic, payload = {}) => {
      if (!pg) {
        // After the caller's await: the writer's response is never delayed by listeners.
        setImmediate(() => deliver(topic, payload))
        return
      }
      let message = JSON.stringify({ t: topic, p: payload })
      if (Buffer.byteLength(message) > MAX_NOTIFY_BYTES) message = JSON.stringify({ t: topic })
      try {
        await pg.notify(EVENTS_CHANNEL, message)
      } catch (err) {
        deps.log.warn({ err, topic }, 'could not NOTIFY an event; delivered to this instance only')
        deliver(topic, payload)
      }
    },
    subscribe: (topic, listener) => {
      listen()
      let set = topics.get(topic)
      if (!set) topics.set(topic, (set = new Set()))
      set.add(listener)
      count++
      let done = false
      return () => {
        if (done) return
        done = true
        count--
        set.delete(listener)
        if (set.size === 0 && topics.get(topic) === set) topics.delete(topic)
      }
    },
    subscriptions: () => count,
    close: async () => {
      closed = true
      const held = listening
      listening = undefined
      if (held) await held.then((l) => l.unlisten()).catch(() => {})
    },
  }
}
