// A CPO (simulator, party BE/BEC) registered with the eMSP, the spec's location_example.json pushed
// by it, and a customer with an app token. Shared by the commands and app API tests.
import { readFileSync } from 'node:fs'
import type { Database } from '../../../src/db/client.js'
import { fixedClock } from '../../../src/platform/clock.js'
import { startTestApp } from '../../helpers/build-app.js'
import { startCpoSimulator } from '../../helpers/cpo-simulator.js'

export const APP_SECRET = 'app-secret-app-secret-app-secret-0123'
export const locationExample = JSON.parse(
  readFileSync(new URL('../../fixtures/ocpi/locations/location_example.json', import.meta.url), 'utf8'),
)

export const customerBody = (name = 'Erika Mustermann') => ({
  name,
  email: 'erika@example.com',
  home_market: 'DE',
  tariff: 'ACTIVE',
  start_date: '2026-01-01',
  vehicle: { vin: 'WBA11AA010CH12345', model: 'iX', delivery_date: '2025-10-01', is_new: true },
})

type T = { teardown(fn: () => unknown): void }

/** Reads until `done` holds (at most `tries` reads, `ms` apart); throws naming what it waited for. */
export const until = async <V>(
  read: () => Promise<V>,
  done: (v: V) => boolean,
  what: string,
  o: { tries?: number; ms?: number } = {},
): Promise<V> => {
  for (let i = 0; i < (o.tries ?? 200); i++) {
    const v = await read()
    if (done(v)) return v
    await new Promise((r) => setTimeout(r, o.ms ?? 10))
  }
  throw new Error(`timed out waiting for ${what}`)
}

/** The eMSP (fixed clock, grace 10 s) and the BE/BEC CPO with LOC1 of the spec example. */
export const startWorld = async (
  t: T,
  opts: { database?: Database; clock?: ReturnType<typeof fixedClock>; env?: Record<string, string> } = {},
) => {
  const clock = opts.clock ?? fixedClock('2026-11-20T10:00:00.000Z')
  const emsp = await startTestApp(t, {
    clock,
    database: opts.database,
    env: { APP_JWT_SECRET: APP_SECRET, COMMAND_TIMEOUT_GRACE_S: '10', ...opts.env },
  })
  const { token_a, versions_url } = (await emsp.admin('POST', '/partners', { name: 'Becharged' })).body
  const cpo = await startCpoSimulator(t, { countryCode: 'BE', partyId: 'BEC' })
  await cpo.registerWith(versions_url, token_a)
  const locations = cpo.endpointOfEmsp('locations')
  const put = await cpo.call('PUT', `${locations}/BE/BEC/LOC1`, locationExample)
  if (put.status !== 201) throw new Error(`location PUT failed: ${JSON.stringify(put.body)}`)

  /** The CPO patches an EVSE of LOC1 (capabilities, status), as it would in real life. */
  const patchEvse = async (uid: string, patch: Record<string, unknown>) => {
    clock.advance(1000)
    const res = await cpo.call('PATCH', `${locations}/BE/BEC/LOC1/${uid}`, { ...patch, last_updated: clock.now().toISOString() })
    if (res.body?.status_code !== 1000) throw new Error(`EVSE PATCH failed: ${JSON.stringify(res.body)}`)
  }

  /** A customer with a contract, its APP_USER token and an app JWT. */
  const newCustomer = async (name?: string) => {
    const created = (await emsp.admin('POST', '/customers', customerBody(name))).body
    const jwt = (await emsp.admin('POST', '/app-tokens', { customer_id: created.id })).body.token as string
    const app = <B = any>(method: string, path: string, body?: unknown) =>
      emsp.ocpi<B>(method, `/app/v1${path}`, { headers: { authorization: `Bearer ${jwt}` }, body })
    return { id: created.id as string, contractId: created.contract_id as string, appTokenUid: created.tokens[0].uid as string, jwt, app }
  }

  /** Runs due `commands.timeout` jobs only (token pushes to the simulator are not under test here). */
  const runTimeouts = () => emsp.app.jobs.runDue({ queues: ['commands.timeout'] })
  /** Runs due `commands.send` jobs: the partner lane POSTs the commands to the CPO. */
  const sendCommands = () => emsp.app.jobs.runDue({ queues: ['commands.send'] })

  /** The CPO pushes a session for our customer (PUT, as OCPI 2.2.1 Sessions). */
  const pushSession = (s: {
    id: string
    contractId: string
    uid: string
    authorizationReference?: string
    status?: string
    kwh?: number
    start?: string
  }) =>
    cpo.call('PUT', `${cpo.endpointOfEmsp('sessions')}/BE/BEC/${s.id}`, {
      country_code: 'BE',
      party_id: 'BEC',
      id: s.id,
      start_date_time: s.start ?? clock.now().toISOString(),
      kwh: s.kwh ?? 0,
      cdr_token: { country_code: 'DE', party_id: 'BMW', uid: s.uid, type: 'APP_USER', contract_id: s.contractId },
      auth_method: 'COMMAND',
      ...(s.authorizationReference ? { authorization_reference: s.authorizationReference } : {}),
      location_id: 'LOC1',
      evse_uid: '3256',
      connector_id: '1',
      currency: 'EUR',
      status: s.status ?? 'ACTIVE',
      last_updated: clock.now().toISOString(),
    })

  return { emsp, cpo, clock, patchEvse, newCustomer, runTimeouts, sendCommands, pushSession }
}

export type World = Awaited<ReturnType<typeof startWorld>>
