import { randomBytes } from 'node:crypto'
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify'
import { request } from 'undici'

/**
 * A CPO (or hub) on the other side of the wire: a real HTTP server on an ephemeral port that speaks
 * enough OCPI 2.2.1 to register with us in both directions, rotate, unregister, and serve or accept
 * module calls that tests add with `on()`. Every request it receives is recorded.
 */
export interface SimRequest {
  method: string
  path: string
  query: Record<string, string>
  headers: Record<string, string | string[] | undefined>
  body: unknown
  at: number
}

export type SimHandler = (req: SimRequest, reply: FastifyReply) => unknown

export interface CpoSimulatorOptions {
  countryCode?: string
  partyId?: string
  /** An older peer: accepts only the raw token in Authorization, and sends raw tokens itself. */
  rawTokens?: boolean
  /** Extra credentials roles (a hub or platform with several parties). */
  roles?: { role: string; country_code: string; party_id: string; business_details: { name: string } }[]
  /** Modules listed in the version details besides credentials. */
  modules?: { identifier: string; role: 'SENDER' | 'RECEIVER' }[]
  /** Base URL advertised in versions and endpoints instead of the listening address (e.g. a proxy in front). */
  publicBaseUrl?: string
}

const DEFAULT_MODULES: CpoSimulatorOptions['modules'] = [
  { identifier: 'locations', role: 'SENDER' },
  { identifier: 'tariffs', role: 'SENDER' },
  { identifier: 'sessions', role: 'SENDER' },
  { identifier: 'cdrs', role: 'SENDER' },
  { identifier: 'tokens', role: 'RECEIVER' },
  { identifier: 'commands', role: 'RECEIVER' },
]

const newToken = () => randomBytes(24).toString('base64url')
const encode = (token: string, raw: boolean) => `Token ${raw ? token : Buffer.from(token).toString('base64')}`

export const startCpoSimulator = async (t: { teardown(fn: () => unknown): void }, opts: CpoSimulatorOptions = {}) => {
  const countryCode = opts.countryCode ?? 'DE'
  const partyId = opts.partyId ?? 'ION'
  const raw = opts.rawTokens ?? false
  const modules = opts.modules ?? DEFAULT_MODULES
  let roles = opts.roles ?? [{ role: 'CPO', country_code: countryCode, party_id: partyId, business_details: { name: `CPO ${partyId}` } }]
  const handlers: { method: string; pattern: RegExp; handler: SimHandler }[] = []
  const requests: SimRequest[] = []
  /** Answers held back by `responseDelayMs`; released when the simulator closes. */
  const held = new Set<() => void>()
  const hold = (ms: number) =>
    new Promise<void>((resolve) => {
      const release = () => {
        clearTimeout(timer)
        held.delete(release)
        resolve()
      }
      const timer = setTimeout(release, ms)
      held.add(release)
    })
  const releaseHeld = () => {
    for (const release of [...held]) release()
  }

  const state = {
    /** Token A we hand to the eMSP so it can register with us. */
    tokenA: newToken() as string | undefined,
    /** The token the eMSP uses to call us (we issued it). */
    tokenFromEmsp: undefined as string | undefined,
    /** The token we use to call the eMSP (it issued it). */
    tokenForEmsp: undefined as string | undefined,
    emspVersionsUrl: undefined as string | undefined,
    emspEndpoints: [] as { identifier: string; role: string; url: string }[],
    registered: false,
  }

  const app = Fastify({ logger: false })
  let base = ''
  const versionsUrl = () => `${base}/ocpi/versions`

  const tokenOf = (req: FastifyRequest): string | undefined => {
    const m = /^Token (\S+)$/.exec(req.headers.authorization ?? '')
    if (!m?.[1]) return undefined
    return raw ? m[1] : Buffer.from(m[1], 'base64').toString('utf8')
  }
  const envelope = (data: unknown, status_code = 1000, status_message?: string) => ({
    data,
    status_code,
    status_message,
    timestamp: new Date().toISOString(),
  })

  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, body ? JSON.parse(body as string) : undefined)
    } catch (err) {
      done(err as Error)
    }
  })

  app.all('/*', async (req, reply) => {
    const url = new URL(req.url, base)
    const rec: SimRequest = {
      method: req.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body: req.body,
      at: Date.now(),
    }
    requests.push(rec)
    const token = tokenOf(req)
    const isTokenA = token !== undefined && token === state.tokenA
    const known = token !== undefined && (isTokenA || token === state.tokenFromEmsp)
    if (!known) return reply.code(401).send(envelope(undefined, 2000, 'Unauthorized'))
    const handshakeOnly = rec.path === '/ocpi/versions' || rec.path === '/ocpi/2.2.1' || rec.path === '/ocpi/2.2.1/credentials'
    if (isTokenA && !handshakeOnly) return reply.code(401).send(envelope(undefined, 2000, 'Token A only for credentials'))
    for (const h of handlers) {
      if (h.method === req.method && h.pattern.test(rec.path)) return h.handler(rec, reply)
    }
    return builtIn(rec, reply, isTokenA)
  })

  const builtIn = async (rec: SimRequest, reply: FastifyReply, isTokenA: boolean) => {
    if (rec.method === 'GET' && rec.path === '/ocpi/versions') return envelope([{ version: '2.2.1', url: `${base}/ocpi/2.2.1` }])
    if (rec.method === 'GET' && rec.path === '/ocpi/2.2.1') {
      return envelope({
        version: '2.2.1',
        endpoints: [
          { identifier: 'credentials', role: 'RECEIVER', url: `${base}/ocpi/2.2.1/credentials` },
          ...modules!.map((m) => ({ ...m, url: `${base}/ocpi/2.2.1/${m.identifier}` })),
        ],
      })
    }
    if (rec.path === '/ocpi/2.2.1/credentials') return credentials(rec, reply, isTokenA)
    return reply.code(404).send(envelope(undefined, 2000, `simulator has no ${rec.method} ${rec.path}`))
  }

  /** The eMSP registers with us (it initiated): it POSTs its token B with our token A; we answer with C. */
  const credentials = async (rec: SimRequest, reply: FastifyReply, isTokenA: boolean) => {
    const body = rec.body as { token: string; url: string } | undefined
    if (rec.method === 'GET') return envelope(ourCredentials(state.tokenFromEmsp ?? state.tokenA!))
    if (rec.method === 'POST') {
      if (state.registered) return reply.code(405).send(envelope(undefined, 2000, 'already registered'))
      state.tokenForEmsp = body!.token
      state.emspVersionsUrl = body!.url
      await readEmspEndpoints()
      state.tokenFromEmsp = newToken()
      state.tokenA = undefined
      state.registered = true
      return envelope(ourCredentials(state.tokenFromEmsp))
    }
    if (rec.method === 'PUT') {
      if (!state.registered || isTokenA) return reply.code(405).send(envelope(undefined, 2000, 'not registered'))
      state.tokenForEmsp = body!.token
      state.emspVersionsUrl = body!.url
      await readEmspEndpoints()
      state.tokenFromEmsp = newToken()
      return envelope(ourCredentials(state.tokenFromEmsp))
    }
    if (rec.method === 'DELETE') {
      if (!state.registered) return reply.code(405).send(envelope(undefined, 2000, 'not registered'))
      state.registered = false
      state.tokenFromEmsp = undefined
      state.tokenForEmsp = undefined
      return envelope(undefined)
    }
    return reply.code(405).send(envelope(undefined, 2000, 'method not allowed'))
  }

  const ourCredentials = (token: string) => ({ token, url: versionsUrl(), roles })

  /** Calls the eMSP as this CPO, with the token the eMSP gave us (or an explicit one). */
  const call = async <T = any>(method: string, url: string, body?: unknown, token = state.tokenForEmsp) => {
    const res = await request(url, {
      method: method as 'GET',
      headers: {
        ...(token ? { authorization: encode(token, raw) } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        'ocpi-from-country-code': countryCode,
        'ocpi-from-party-id': partyId,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.body.text()
    return { status: res.statusCode, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as T }
  }

  const readEmspEndpoints = async () => {
    const versions = await call('GET', state.emspVersionsUrl!)
    const v221 = versions.body.data.find((v: { version: string }) => v.version === '2.2.1')
    const details = await call('GET', v221.url)
    state.emspEndpoints = details.body.data.endpoints
  }

  const endpointOfEmsp = (identifier: string) => {
    const e = state.emspEndpoints.find((x) => x.identifier === identifier)
    if (!e) throw new Error(`eMSP has no ${identifier} endpoint`)
    return e.url
  }

  await app.listen({ port: 0, host: '127.0.0.1' })
  const port = (app.server.address() as { port: number }).port
  base = opts.publicBaseUrl ?? `http://127.0.0.1:${port}`
  t.teardown(() => {
    releaseHeld()
    return app.close()
  })

  return {
    state,
    requests,
    versionsUrl: versionsUrl(),
    baseUrl: base,
    /** The port it listens on (differs from `baseUrl` with `publicBaseUrl`). */
    port,
    countryCode,
    partyId,
    /** Changes the roles this platform claims in its next credentials (POST, PUT, or its answer to ours). */
    setRoles(next: NonNullable<CpoSimulatorOptions['roles']>) {
      roles = next
    },
    /** Adds a module endpoint; `path` is a RegExp on the URL path. */
    on(method: string, pattern: RegExp, handler: SimHandler) {
      handlers.unshift({ method, pattern, handler })
    },
    /** Removes the handlers `on()` added for this method and pattern (e.g. to end a simulated outage). */
    off(method: string, pattern: RegExp) {
      for (let i = handlers.length - 1; i >= 0; i--) {
        if (handlers[i]!.method === method && String(handlers[i]!.pattern) === String(pattern)) handlers.splice(i, 1)
      }
    },
    /**
     * A commands Receiver: answers every POST {commands}/{CommandType} with a CommandResponse
     * (`response`, default ACCEPTED, and `timeout` seconds) and, when `result` is set on an accepted
     * command, POSTs that CommandResult to the command's response_url after `resultDelayMs`.
     * `result: null` never sends one (the test may post it itself, late). `responseDelayMs` holds the
     * answer that long (a slow CPO). Returns the commands received.
     */
    commandsReceiver(
      b: {
        response?: string
        timeout?: number
        result?: string | null
        resultDelayMs?: number
        ocpiStatus?: number
        responseDelayMs?: number
      } = {},
    ) {
      const received: { type: string; body: any; headers: SimRequest['headers'] }[] = []
      handlers.unshift({
        method: 'POST',
        pattern: /\/ocpi\/2\.2\.1\/commands\/[A-Z_]+$/,
        handler: async (rec) => {
          received.push({ type: rec.path.split('/').pop()!, body: rec.body, headers: rec.headers })
          if (b.responseDelayMs) await hold(b.responseDelayMs)
          const response = b.response ?? 'ACCEPTED'
          const url = (rec.body as { response_url?: string } | undefined)?.response_url
          if (response === 'ACCEPTED' && b.result && url) {
            setTimeout(() => void call('POST', url, { result: b.result }).catch(() => undefined), b.resultDelayMs ?? 0)
          }
          return envelope({ result: response, timeout: b.timeout ?? 30 }, b.ocpiStatus ?? 1000)
        },
      })
      return received
    },
    envelope,
    call,
    endpointOfEmsp,
    /** CPO-initiated registration: versions and details with token A, then POST our credentials. */
    async registerWith(emspVersionsUrl: string, emspTokenA: string) {
      state.emspVersionsUrl = emspVersionsUrl
      const tokenB = newToken()
      state.tokenFromEmsp = tokenB
      state.tokenA = undefined
      await readEmspEndpointsWith(emspTokenA)
      const res = await call('POST', endpointOfEmsp('credentials'), ourCredentials(tokenB), emspTokenA)
      if (res.body?.status_code === 1000) {
        state.tokenForEmsp = res.body.data.token
        state.registered = true
      }
      return res
    },
    /** CPO-initiated rotation: PUT new credentials; the eMSP answers with a new token for us. */
    async rotateWith() {
      const tokenB = newToken()
      const previous = state.tokenFromEmsp
      state.tokenFromEmsp = tokenB
      const res = await call('PUT', endpointOfEmsp('credentials'), ourCredentials(tokenB))
      if (res.body?.status_code === 1000) state.tokenForEmsp = res.body.data.token
      else state.tokenFromEmsp = previous
      return res
    },
    /** CPO-initiated unregister. */
    async unregisterWith() {
      const res = await call('DELETE', endpointOfEmsp('credentials'))
      if (res.body?.status_code === 1000) state.registered = false
      return res
    },
    close: () => {
      releaseHeld()
      return app.close()
    },
  }

  async function readEmspEndpointsWith(token: string) {
    const versions = await call('GET', state.emspVersionsUrl!, undefined, token)
    const v221 = versions.body.data.find((v: { version: string }) => v.version === '2.2.1')
    const details = await call('GET', v221.url, undefined, token)
    state.emspEndpoints = details.body.data.endpoints
  }
}

export type CpoSimulator = Awaited<ReturnType<typeof startCpoSimulator>>
