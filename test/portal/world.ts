// A world for the customer area's tests: the app (fixed clock) with a registered Belgian CPO
// (simulator, BE/BEC) whose Gent location is on the map, operator helpers (vouchers, the mail
// outbox), and a CDR poster for the month's charging.
import { fixedClock } from '../../src/platform/clock.js'
import { ocpiCdr, receivedAfterEnd, type CdrSpec } from '../billing/world.js'
import { startTestApp } from '../helpers/build-app.js'
import { startCpoSimulator } from '../helpers/cpo-simulator.js'
import { locationExample } from '../ocpi/commands/world.js'

type T = { teardown(fn: () => unknown): void }

export const startPortalWorld = async (t: T, opts: { start?: string; env?: Record<string, string> } = {}) => {
  const clock = fixedClock(opts.start ?? '2026-11-03T09:00:00.000Z')
  const emsp = await startTestApp(t, { clock, env: { PORTAL_SECRET: 'portal-secret-for-tests-0123456789abcdef', ...opts.env } })
  const { token_a, versions_url } = (await emsp.admin('POST', '/partners', { name: 'Be Charging' })).body
  const cpo = await startCpoSimulator(t, { countryCode: 'BE', partyId: 'BEC' })
  await cpo.registerWith(versions_url, token_a)
  const put = await cpo.call('PUT', `${cpo.endpointOfEmsp('locations')}/BE/BEC/LOC1`, locationExample)
  if (put.status !== 201) throw new Error(`location PUT failed: ${JSON.stringify(put.body)}`)
  await emsp.app.jobs.runDue()

  /** An operator creates a voucher code (admin API). */
  const createVoucher = async (code: string, v: { credit?: string; months?: number; markets?: string[] } = {}) => {
    const res = await emsp.admin('POST', '/vouchers', {
      code,
      kind: v.months ? 'BASE_FEE_MONTHS' : 'CREDIT',
      ...(v.months ? { months: v.months } : { credit_amount: v.credit ?? '10.00', currency: 'EUR' }),
      valid_from: '2024-01-01',
      valid_until: '2027-12-31',
      max_redemptions: 100,
      home_markets: v.markets ?? ['DE', 'SI', 'EE'],
    })
    if (res.status !== 201) throw new Error(JSON.stringify(res.body))
  }

  /** The newest mail to an address, as an operator reads the outbox; and the first link in it. */
  const lastMail = async (to: string) => {
    const res = await emsp.admin('GET', `/mail-outbox?recipient=${encodeURIComponent(to)}&limit=1`)
    const mail = res.body.mails[0] as { subject: string; body: string; kind: string } | undefined
    if (!mail) throw new Error(`no mail to ${to}`)
    const link = /https?:\/\/\S+/.exec(mail.body)?.[0]
    return { ...mail, link: link ?? '' }
  }

  /** The CPO posts a CDR; the rating job runs. */
  const postCdr = (s: Omit<CdrSpec, 'country'> & { country?: string }) =>
    receivedAfterEnd(clock, s.end, async () => {
      const res = await cpo.call('POST', cpo.endpointOfEmsp('cdrs'), ocpiCdr({ country: 'BEL', ...s }))
      if (res.body?.status_code !== 1000) throw new Error(JSON.stringify(res.body))
      await emsp.app.jobs.runDue()
    })

  /** A customer created by an operator (no login of their own yet). */
  const operatorCustomer = async (name: string, email: string, vin = 'WBA11AA010CH12345') => {
    const res = await emsp.admin('POST', '/customers', {
      name,
      email,
      home_market: 'DE',
      tariff: 'ACTIVE',
      vehicle: { vin, model: 'iX', delivery_date: '2026-10-01', is_new: false },
    })
    if (res.status !== 201) throw new Error(JSON.stringify(res.body))
    return { id: res.body.id as string, contractId: res.body.contract_id as string, appUid: res.body.tokens[0].uid as string }
  }

  return { clock, emsp, cpo, createVoucher, lastMail, postCdr, operatorCustomer }
}

export type PortalWorld = Awaited<ReturnType<typeof startPortalWorld>>
