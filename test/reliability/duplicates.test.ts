import fc from 'fast-check'
import t from 'tap'
import { cdr, chargingPeriod, customer, session } from '../../scripts/replay/objects.js'
import { startTestApp } from '../helpers/build-app.js'
import { startCpoSimulator } from '../helpers/cpo-simulator.js'

// Partners resend and reorder: what reaches us twice must count once, and the newest state wins.
t.test('duplicates and order', async (t) => {
  const emsp = await startTestApp(t)
  const { token_a, versions_url } = (await emsp.admin('POST', '/partners', { name: 'Dup CPO' })).body
  const cpo = await startCpoSimulator(t, { countryCode: 'DE', partyId: 'DUP' })
  await cpo.registerWith(versions_url, token_a)
  const party = { countryCode: 'DE', partyId: 'DUP' }
  const created = (await emsp.admin('POST', '/customers', customer(1, 'DE'))).body
  const token = { uid: created.tokens[0].uid, type: 'APP_USER' as const, contractId: created.contract_id }
  const drain = async () => {
    while ((await emsp.app.jobs.runDue()) > 0) {
      /* until the rating and audit jobs are done */
    }
  }

  t.test('the same CDR posted 8 times at once is stored once and billed once', async (t) => {
    // DE DC 40 kWh, 30 min at an unknown operator: 40 × 0.55 + 0.59 = 22.59 EUR (German price list).
    const body = cdr(party, {
      id: 'DUP-CDR-1',
      token,
      locationId: 'L1',
      evse: 'L1-E1',
      country: 'DEU',
      power: 'DC',
      start: '2025-05-06T10:00:00Z',
      end: '2025-05-06T10:30:00Z',
      kwh: 40,
      currency: 'EUR',
      totalExcl: 20,
    })
    const answers = await Promise.all(Array.from({ length: 8 }, () => cpo.call('POST', cpo.endpointOfEmsp('cdrs'), body)))
    t.same(answers.map((a) => a.status).sort(), [200, 200, 200, 200, 200, 200, 200, 201], 'one created, seven identical')
    t.ok(answers.every((a) => a.body.status_code === 1000))
    const ids = new Set(answers.map((a) => String(a.headers.location).split('/').pop()))
    t.equal(ids.size, 1, 'one Location')
    const [cdrId] = [...ids]
    await drain()
    // and once more after it was rated: the job is not queued again, nothing is charged twice
    t.equal((await cpo.call('POST', cpo.endpointOfEmsp('cdrs'), body)).status, 200)
    await drain()
    const rating = (await emsp.admin('GET', `/cdrs/${cdrId}/rating`)).body
    t.equal(rating.status, 'RATED')
    t.equal(rating.history.length, 1, 'one charge')
    t.equal(rating.active_charge.total, '22.59')
  })

  t.test('session updates in random order with duplicates converge to the newest state', async (t) => {
    let n = 0
    const url = (id: string) => `${cpo.endpointOfEmsp('sessions')}/DE/DUP/${id}`
    const at = (i: number) => new Date(Date.parse('2025-06-01T10:00:00Z') + i * 60_000).toISOString()
    // Updates 0..k: PUT (start), PATCHes each adding one period, and (optionally) a final full PUT.
    const updatesOf = (id: string, k: number, finalPut: boolean) => {
      const base = session(party, { id, token, locationId: 'L1', evse: 'L1-E1', start: at(0), currency: 'EUR', at: at(0) })
      const periods = Array.from({ length: k }, (_, i) => chargingPeriod(at(i), 1 + i, undefined))
      const list: { method: 'PUT' | 'PATCH'; body: Record<string, unknown> }[] = [{ method: 'PUT', body: base }]
      for (let i = 1; i <= k; i++)
        list.push({ method: 'PATCH', body: { kwh: (i * (i + 1)) / 2, charging_periods: [periods[i - 1]], last_updated: at(i) } })
      if (finalPut)
        list.push({
          method: 'PUT',
          body: {
            ...base,
            kwh: (k * (k + 1)) / 2,
            status: 'COMPLETED',
            end_date_time: at(k + 1),
            charging_periods: periods,
            last_updated: at(k + 1),
          },
        })
      return list
    }
    const deliver = async (id: string, list: ReturnType<typeof updatesOf>, order: number[]) => {
      const retry: number[] = []
      for (const i of order) {
        const res = await cpo.call(list[i]!.method, url(id), list[i]!.body)
        if (res.body.status_code !== 1000) retry.push(i) // a PATCH before the PUT: unknown session, the CPO retries later
      }
      for (const i of retry) t.equal((await cpo.call(list[i]!.method, url(id), list[i]!.body)).body.status_code, 1000)
      return (await cpo.call('GET', url(id))).body.data
    }
    // an order of all updates plus duplicates of some of them
    const deliveries = (size: number) =>
      fc
        .tuple(
          fc.shuffledSubarray([...Array(size).keys()], { minLength: size, maxLength: size }),
          fc.array(fc.nat(size - 1), { maxLength: 4 }),
        )
        .chain(([perm, dups]) =>
          fc.shuffledSubarray([...perm, ...dups], { minLength: perm.length + dups.length, maxLength: perm.length + dups.length }),
        )

    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 5 }).chain((k) => fc.tuple(fc.constant(k), deliveries(k + 2))),
        async ([k, order]) => {
          const id = `ORD-PUT-${n++}`
          const list = updatesOf(id, k, true)
          const stored = await deliver(id, list, order)
          const newest = list.at(-1)!.body
          t.same(
            { status: stored.status, kwh: stored.kwh, last_updated: stored.last_updated },
            { status: 'COMPLETED', kwh: newest.kwh, last_updated: newest.last_updated },
          )
          t.same(stored.charging_periods, newest.charging_periods, "exactly the final PUT's periods, no duplicates")
        },
      ),
      { numRuns: 8 },
    )

    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 5 }).chain((k) => fc.tuple(fc.constant(k), deliveries(k + 1))),
        async ([k, order]) => {
          const id = `ORD-PATCH-${n++}`
          const list = updatesOf(id, k, false)
          const stored = await deliver(id, list, order)
          t.equal(stored.last_updated, at(k), 'the newest update wins')
          t.equal(stored.kwh, (k * (k + 1)) / 2)
          const starts = (stored.charging_periods ?? []).map((p: { start_date_time: string }) => p.start_date_time)
          t.equal(new Set(starts).size, starts.length, 'no period twice')
          t.ok(
            starts.includes(new Date(at(k - 1)).toISOString().replace('.000Z', 'Z')) || starts.includes(at(k - 1)),
            "the newest PATCH's period is held",
          )
        },
      ),
      { numRuns: 8 },
    )
  })
})
