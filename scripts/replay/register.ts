import { randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { request } from 'undici'

/**
 * Registration of the replaying CPO with the eMSP, and endpoint discovery. The eMSP reads the
 * CPO's versions during the handshake, so a tiny versions server runs on loopback while it happens;
 * it lists credentials only, so the eMSP never pushes to or pulls from the replaying CPO.
 */
export type Party = { countryCode: string; partyId: string }

/** A replay that cannot go on for a reason the operator can act on: printed as a message, never a stack trace. */
export class ReplayError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ReplayError'
  }
}

const REPLAY_AGAIN =
  'to replay again as that CPO, pass the token the eMSP issued to it with --token (and no ADMIN_TOKEN registration), or use a recording with other party ids'

/**
 * Refuses, before anything is created, a recording whose CPO parties another partner already holds
 * (a second replay of the same recording): the handshake would fail and leave a stray partner behind.
 */
const refuseTakenParties = async (url: string, admin: string, parties: Party[]) => {
  const listed = await getJson(`${url}/admin/v1/partners`, admin)
  if (listed.status !== 200)
    throw new ReplayError(
      `the admin API refused to list partners: HTTP ${listed.status}${listed.status === 401 ? ' (is ADMIN_TOKEN the one the service runs with?)' : ''}`,
    )
  const holders = (
    listed.body as { id: string; name: string; state: string; roles: { role: string; country_code: string; party_id: string }[] }[]
  ).flatMap((p) =>
    p.roles
      .filter((r) => r.role === 'CPO' && parties.some((q) => q.countryCode === r.country_code && q.partyId === r.party_id))
      .map((r) => `${r.country_code}/${r.party_id} by partner '${p.name}' (${p.id}, ${p.state})`),
  )
  if (holders.length > 0)
    throw new ReplayError(
      `the recording's CPO part${holders.length > 1 ? 'ies are' : 'y is'} already registered: ${holders.join(', ')}; ${REPLAY_AGAIN}`,
    )
}
export type Endpoints = Record<string, string>

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64')
export const tokenHeader = (token: string) => `Token ${b64(token)}`

export const getJson = async (url: string, authorization: string, method: 'GET' | 'POST' = 'GET', body?: unknown) => {
  const res = await request(url, {
    method,
    headers: { authorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.body.text()
  let json: any
  try {
    json = text ? JSON.parse(text) : undefined
  } catch {
    json = undefined
  }
  return { status: res.statusCode, body: json, headers: res.headers }
}

/** The eMSP's 2.2.1 endpoints (identifier → url), read with the given token. */
export const discoverEndpoints = async (versionsUrl: string, token: string): Promise<Endpoints> => {
  const versions = await getJson(versionsUrl, tokenHeader(token))
  const v221 = (versions.body?.data as { version: string; url: string }[] | undefined)?.find((v) => v.version === '2.2.1')
  if (!v221)
    throw new ReplayError(`${versionsUrl}: no OCPI 2.2.1 (HTTP ${versions.status}, ${JSON.stringify(versions.body)?.slice(0, 200)})`)
  const details = await getJson(v221.url, tokenHeader(token))
  const list = details.body?.data?.endpoints as { identifier: string; role: string; url: string }[] | undefined
  if (!list) throw new ReplayError(`${v221.url}: no endpoints (HTTP ${details.status})`)
  // Our Receiver interfaces win over a Sender listed under the same identifier (tokens).
  const out: Endpoints = {}
  for (const e of list) if (e.role === 'RECEIVER' || !(e.identifier in out)) out[e.identifier] = e.url
  return out
}

/** Serves GET versions and version details to a caller with `token` (raw or base64). */
const versionsServer = async (token: () => string): Promise<{ server: Server; url: string }> => {
  let base = ''
  const server = createServer((req, res) => {
    const given = /^Token (\S+)$/.exec(req.headers.authorization ?? '')?.[1]
    const authorized = given !== undefined && (given === token() || given === b64(token()))
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
    }
    const envelope = (data: unknown, status_code = 1000) => ({ data, status_code, timestamp: new Date().toISOString() })
    if (!authorized) return send(401, envelope(undefined, 2000))
    if (req.url === '/ocpi/versions') return send(200, envelope([{ version: '2.2.1', url: `${base}/ocpi/2.2.1` }]))
    if (req.url === '/ocpi/2.2.1') {
      return send(
        200,
        envelope({ version: '2.2.1', endpoints: [{ identifier: 'credentials', role: 'RECEIVER', url: `${base}/ocpi/2.2.1/credentials` }] }),
      )
    }
    return send(404, envelope(undefined, 2000))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { server, url: `${base}/ocpi/versions` }
}

/**
 * Creates a partner through the admin API and registers as that CPO (CPO-initiated handshake with
 * token A) for every party of the recording. Returns the token the eMSP issued to us.
 */
export const registerAsCpo = async (opts: { url: string; adminToken: string; name: string; parties: Party[] }) => {
  if (opts.parties.length === 0) throw new ReplayError('the recording names no CPO party (country_code/party_id)')
  const admin = `Bearer ${opts.adminToken}`
  await refuseTakenParties(opts.url, admin, opts.parties)
  const created = await getJson(`${opts.url}/admin/v1/partners`, admin, 'POST', { name: opts.name })
  if (created.status !== 201)
    throw new ReplayError(
      `the admin API refused to create the partner: HTTP ${created.status} ${JSON.stringify(created.body)}${created.status === 401 ? ' (is ADMIN_TOKEN the one the service runs with?)' : ''}`,
    )
  const { id, token_a: tokenA, versions_url: versionsUrl } = created.body as { id: string; token_a: string; versions_url: string }
  const tokenB = randomBytes(24).toString('base64url')
  const ours = await versionsServer(() => tokenB)
  try {
    const endpoints = await discoverEndpoints(versionsUrl, tokenA)
    const roles = opts.parties.map((p) => ({
      role: 'CPO',
      country_code: p.countryCode,
      party_id: p.partyId,
      business_details: { name: `${opts.name} ${p.partyId}` },
    }))
    const res = await getJson(endpoints.credentials!, tokenHeader(tokenA), 'POST', { token: tokenB, url: ours.url, roles })
    if (res.body?.status_code !== 1000) {
      const message = String(res.body?.status_message ?? JSON.stringify(res.body))
      throw new ReplayError(
        `the eMSP refused the registration (HTTP ${res.status}, OCPI ${res.body?.status_code ?? '-'}): ${message}${/registered by another partner/.test(message) ? `; ${REPLAY_AGAIN}` : ''}`,
      )
    }
    return { partnerId: id, token: res.body.data.token as string, versionsUrl }
  } finally {
    await new Promise((resolve) => ours.server.close(resolve))
  }
}
