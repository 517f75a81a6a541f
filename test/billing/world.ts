// A small world for billing tests over real HTTP: the app with a fixed clock, a Belgian CPO
// (simulator) that posts CDRs, customers created through the admin API, app tokens for them.
import { fixedClock } from '../../src/platform/clock.js'
import { startTestApp } from '../helpers/build-app.js'
import { startCpoSimulator } from '../helpers/cpo-simulator.js'

export const APP_SECRET = 'billing-app-secret-0123456789-abcdef'

export interface CdrSpec {
  id: string
  contractId: string
  uid: string
  /** ISO 3166 alpha-3 country of the location; the CPO itself is BE/BEC. */
  country: string
  currency: string
  kwh: number
  start: string
  end: string
  /** A credit CDR reversing the CDR with this id. */
  creditOf?: string
}

/** An AC CDR as a CPO sends it (the totals are the operator's; we charge our own price list). */
export const ocpiCdr = (s: CdrSpec) => ({
  country_code: 'BE',
  party_id: 'BEC',
  id: s.id,
  start_date_time: s.start,
  end_date_time: s.end,
  cdr_token: { country_code: 'DE', party_id: 'BMW', uid: s.uid, type: 'APP_USER', contract_id: s.contractId },
  auth_method: 'WHITELIST',
  cdr_location: {
    id: 'LOC1',
    name: 'Station',
    address: 'Street 1',
    city: 'City',
    postal_code: '1000',
    country: s.country,
    coordinates: { latitude: '51.047599', longitude: '3.729944' },
    evse_uid: '3256',
    evse_id: 'BE*BEC*E041503003',
    connector_id: '1',
    connector_standard: 'IEC_62196_T2',
    connector_format: 'SOCKET',
    connector_power_type: 'AC_3_PHASE',
  },
  currency: s.currency,
  charging_periods: [{ start_date_time: s.start, dimensions: [{ type: 'ENERGY', volume: s.kwh }] }],
  total_cost: s.creditOf ? { excl_vat: -1, incl_vat: -1.21 } : { excl_vat: 1, incl_vat: 1.21 },
  total_energy: s.kwh,
  ...(s.creditOf ? { credit: true, credit_reference_id: s.creditOf } : {}),
  total_time: (Date.parse(s.end) - Date.parse(s.start)) / 3_600_000,
  last_updated: s.end,
})

/** The bearer of `/metrics` in the billing world. */
export const BILLING_METRICS_TOKEN = 'billing-metrics-token-0123'

export const startWorld = async (t: { teardown(fn: () => unknown): void }, start: string) => {
  const clock = fixedClock(start)
  const emsp = await startTestApp(t, { clock, env: { APP_JWT_SECRET: APP_SECRET, METRICS_TOKEN: BILLING_METRICS_TOKEN } })
  const { token_a, versions_url } = (await emsp.admin('POST', '/partners', { name: 'Be Charging' })).body
  const cpo = await startCpoSimulator(t, { countryCode: 'BE', partyId: 'BEC' })
  await cpo.registerWith(versions_url, token_a)

  const customer = async (body: Record<string, unknown>) => {
    const created = await emsp.admin('POST', '/customers', body)
    if (created.status !== 201) throw new Error(JSON.stringify(created.body))
    // Minted per call: the test clock jumps months ahead, past any token's lifetime.
    const jwt = async () => (await emsp.admin('POST', '/app-tokens', { customer_id: created.body.id })).body.token as string
    const app = async (method: string, path: string, body?: unknown) =>
      emsp.ocpi(method, `/app/v1${path}`, {
        headers: { authorization: `Bearer ${await jwt()}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body,
      })
    return {
      id: created.body.id as string,
      contractId: created.body.contract_id as string,
      appUid: created.body.tokens[0].uid as string,
      app,
      jwt,
    }
  }
  /** Posts a CDR and runs the jobs (rating). */
  const postCdr = (s: CdrSpec) =>
    receivedAfterEnd(clock, s.end, async () => {
      const res = await cpo.call('POST', cpo.endpointOfEmsp('cdrs'), ocpiCdr(s))
      if (res.body?.status_code !== 1000) throw new Error(JSON.stringify(res.body))
      await emsp.app.jobs.runDue()
    })
  return { clock, emsp, cpo, customer, postCdr }
}

/**
 * A CDR arrives after its session ended (one dated in the future is held as implausible): `post`
 * runs with the clock a minute after `end` when the clock is not past it yet, then the clock is put back.
 */
export const receivedAfterEnd = async (clock: { now(): Date; set(at: string | Date): void }, end: string, post: () => Promise<void>) => {
  const before = clock.now()
  if (Date.parse(end) >= before.getTime()) clock.set(new Date(Date.parse(end) + 60_000))
  try {
    await post()
  } finally {
    clock.set(before)
  }
}
