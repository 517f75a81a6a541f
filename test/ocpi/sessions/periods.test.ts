// Issue 16 item 10: a session PATCHed to 16,000 charging periods. What we store is bounded
// (SESSION_MAX_PERIODS, default 2000: older periods merged, totals kept), replays add nothing, the
// partner's conformance report counts it, and the app's reads carry a bounded number of periods.
import { Decimal } from 'decimal.js'
import t from 'tap'
import { systemClock } from '../../../src/platform/clock.js'
import { randomIds } from '../../../src/platform/ids.js'
import { boundPeriods, mergePeriods, RAW_TAIL } from '../../../src/ocpi/sessions/sessions.periods.js'
import type { ChargingPeriod } from '../../../src/ocpi/sessions/sessions.schema.js'
import { appendChargingPeriods } from '../../../src/ocpi/sessions/sessions.convert.js'
import { createSessionsService } from '../../../src/ocpi/sessions/sessions.service.js'
import { startWorld } from '../commands/world.js'

const T0 = Date.parse('2026-11-20T10:00:00.000Z')
const period = (i: number, tariff = 'T1'): ChargingPeriod => ({
  start_date_time: new Date(T0 + i * 1000).toISOString(),
  tariff_id: tariff,
  dimensions: [
    { type: 'ENERGY', volume: 0.125 },
    { type: 'TIME', volume: 0.01 },
    { type: 'MAX_POWER', volume: 10 + (i % 7) },
  ],
})
const total = (periods: readonly ChargingPeriod[], type: string) =>
  Decimal.sum(0, ...periods.flatMap((p) => p.dimensions.filter((d) => d.type === type).map((d) => new Decimal(String(d.volume)))))

t.test('boundPeriods: at most the bound, totals kept, tariffs not mixed, the newest as sent', async (t) => {
  const periods = Array.from({ length: 5000 }, (_, i) => period(i, i < 2500 ? 'T1' : 'T2'))
  const { periods: kept, merged } = boundPeriods(periods, 2000)
  t.ok(kept.length <= 2000, `${kept.length} periods kept`)
  t.equal(merged, 5000 - kept.length)
  t.equal(total(kept, 'ENERGY').toFixed(), '625', 'energy total kept (5000 × 0.125)')
  t.equal(total(kept, 'TIME').toFixed(), '50', 'time total kept')
  t.same(kept.slice(-RAW_TAIL), periods.slice(-RAW_TAIL), 'the newest periods stay as sent')
  t.notOk(
    kept.some((p, i) => i > 0 && p.start_date_time <= kept[i - 1]!.start_date_time),
    'still in order',
  )
  t.equal(kept.filter((p) => p.tariff_id === 'T1').length > 0 && kept.filter((p) => p.tariff_id === 'T2').length > 0, true)
  const merged1 = mergePeriods([period(0), period(1), period(2)])
  t.same(
    merged1,
    {
      start_date_time: period(0).start_date_time,
      tariff_id: 'T1',
      dimensions: [
        { type: 'ENERGY', volume: 0.375 },
        { type: 'TIME', volume: 0.03 },
        { type: 'MAX_POWER', volume: 12 },
      ],
    },
    'summed quantities, the highest maximum',
  )
  t.same(boundPeriods(periods.slice(0, 10), 2000).periods, periods.slice(0, 10), 'under the bound: unchanged')
  // Alternating tariffs cannot be merged in runs: the bound still holds, the energy too.
  const alternating = Array.from({ length: 3000 }, (_, i) => period(i, i % 2 ? 'T1' : 'T2'))
  const bounded = boundPeriods(alternating, 100).periods
  t.ok(bounded.length <= 100)
  t.equal(total(bounded, 'ENERGY').toFixed(), '375')
})

t.test('PATCH append after a merge: replays of merged periods are skipped, overtaking PATCHes still append', async (t) => {
  const periods = Array.from({ length: 3000 }, (_, i) => period(i))
  const held = boundPeriods(periods, 2000).periods
  t.same(appendChargingPeriods(held, periods.slice(100, 200)), held, 'a replay of merged periods adds nothing')
  t.same(appendChargingPeriods(held, periods.slice(-10)), held, 'a replay of the newest adds nothing')
  const late = period(2995)
  const overtaken = { ...late, dimensions: [{ type: 'ENERGY' as const, volume: 1 }] }
  t.equal(
    appendChargingPeriods(held, [overtaken]).length,
    held.length + 1,
    'a new period a few places back (PATCHes that overtook each other) appends',
  )
  const few = periods.slice(0, 5)
  t.equal(appendChargingPeriods([few[4]!], [few[0]!]).length, 2, 'a short session appends a period in any order')
})

t.test('a session PATCHed to 16,000 periods: stored bounded, replays add nothing, reads bounded', async (t) => {
  const w = await startWorld(t)
  const erika = await w.newCustomer()
  const base = `${w.cpo.endpointOfEmsp('sessions')}/BE/BEC/BIG-1`
  t.equal((await w.pushSession({ id: 'BIG-1', contractId: erika.contractId, uid: erika.appTokenUid })).status, 201)
  const patchBody = (from: number) => ({
    charging_periods: Array.from({ length: 1000 }, (_, i) => period(from + i)),
    kwh: (from + 1000) * 0.125,
    last_updated: w.clock.now().toISOString(),
  })
  let last: ReturnType<typeof patchBody> | undefined
  for (let k = 0; k < 16; k++) {
    w.clock.advance(1000)
    last = patchBody(k * 1000)
    const res = await w.cpo.call('PATCH', base, last)
    t.equal(res.body.status_code, 1000, `PATCH ${k + 1} accepted`)
  }
  const stored = async () => (await w.cpo.call('GET', base)).body.data
  const held = await stored()
  t.ok(held.charging_periods.length <= 2000, `${held.charging_periods.length} periods stored of 16,000 sent`)
  t.equal(total(held.charging_periods, 'ENERGY').toFixed(), '2000', 'no energy lost: 16,000 × 0.125 kWh')
  t.equal(held.kwh, 2000)

  // The same PATCH again (a replay), and an early one resent with a newer last_updated: nothing is added.
  t.equal((await w.cpo.call('PATCH', base, last)).body.status_code, 1000)
  w.clock.advance(1000)
  t.equal((await w.cpo.call('PATCH', base, { ...patchBody(3000), kwh: 2000 })).body.status_code, 1000)
  const after = await stored()
  t.equal(after.charging_periods.length, held.charging_periods.length, 'replays add no period')
  t.equal(total(after.charging_periods, 'ENERGY').toFixed(), '2000', 'nor energy')

  const report = (await w.emsp.admin('GET', '/conformance')).body.data as { deviations: { kind: string; count: number }[] }[]
  const merged = report.flatMap((p) => p.deviations).find((d) => d.kind === 'charging_periods_merged')
  t.ok(merged && merged.count >= 1, 'the merge is counted in the partner conformance report')

  // The app: the single view and the list summarise the periods.
  const one = (await erika.app('GET', '/sessions/BIG-1')).body
  t.equal(one.charging_periods.count, after.charging_periods.length)
  t.equal(one.charging_periods.latest.length, 20, 'the newest 20 periods only')
  t.same(one.charging_periods.latest.at(-1), {
    start_date_time: period(15999).start_date_time,
    tariff_id: 'T1',
    dimensions: [
      { type: 'ENERGY', volume: '0.125' },
      { type: 'TIME', volume: '0.01' },
      { type: 'MAX_POWER', volume: String(10 + (15999 % 7)) },
    ],
  })
  t.equal(one.kwh, '2000')
  const list = (await erika.app('GET', '/sessions')).body.sessions
  t.equal(list[0].charging_periods.latest.length, 20)
  // What a list read materialises: no period beyond the summary.
  const sessions = createSessionsService({ db: w.emsp.database.db, clock: systemClock, ids: randomIds })
  const [listed] = await sessions.listByContract(erika.contractId)
  t.equal(listed!.session.charging_periods, undefined, 'the periods stay in the database')
  t.equal(listed!.periods.count, after.charging_periods.length)
  t.equal(listed!.periods.latest.length, 20)
})
