import { Agent } from 'undici'

/** The one undici dispatcher for outbound calls: bounded connect, header and body timeouts. */
export const createHttpAgent = (timeoutMs: number) =>
  new Agent({
    connect: { timeout: timeoutMs },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    keepAliveTimeout: 10_000,
    connections: 32,
  })
