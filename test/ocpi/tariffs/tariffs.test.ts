import { readdirSync, readFileSync } from 'node:fs'
import t from 'tap'
import { createTariffsService } from '../../../src/ocpi/tariffs/tariffs.service.js'
import { fixedClock } from '../../../src/platform/clock.js'
import { startTestApp } from '../../helpers/build-app.js'
import { startCpoSimulator } from '../../helpers/cpo-simulator.js'

const dir = new URL('../../fixtures/ocpi/tariffs/', import.meta.url)
const fixture = (name: string) => JSON.parse(readFileSync(new URL(name, dir), 'utf8'))
const role = (country_code: string, party_id: string) => ({
  role: 'CPO',
  country_code,
  party_id,
  business_details: { name: `CPO ${party_id}` },
})

const setup = async (tt: { teardown(fn: () => unknown): void }) => {
  const clock = fixedClock('2021-01-01T00:00:00Z')
  const emsp = await startTestApp(tt, { clock })
  const { token_a, versions_url } = (await emsp.admin('POST', '/partners', { name: 'CPO' })).body
  const cpo = await startCpoSimulator(tt, { countryCode: 'DE', partyId: 'ALL', roles: [role('DE', 'ALL'), role('NL', 'TNM')] })
  await cpo.registerWith(versions_url, token_a)
  const service = createTariffsService({ db: emsp.database.db, clock })
  return { emsp, cpo, clock, service, url: cpo.endpointOfEmsp('tariffs') }
}

t.test('spec example Tariffs are accepted unmodified; the newest version per id is served', async (t) => {
  const { cpo, url } = await setup(t)
  const names = readdirSync(dir)
    .filter((n) => /^tariff(_\d+|restriction)_.*\.json$/.test(n))
    .sort()
  t.equal(names.length, 19, 'every Tariff example but the PUT example (which lacks last_updated)')
  const held = new Map<string, string>()
  for (const name of names) {
    const tariff = fixture(name)
    const res = await cpo.call('PUT', `${url}/DE/ALL/${tariff.id}`, tariff)
    t.equal(res.body.status_code, 1000, `${name} accepted`)
    const before = held.get(tariff.id)
    // Several examples share an id (12, 16, 20): an older last_updated than the one held is ignored.
    if (before !== undefined && tariff.last_updated < before) {
      t.match(res.body.status_message, /newer/, `${name} is older than the version held`)
      continue
    }
    t.equal(res.status, before === undefined ? 201 : 200, `${name} created or updated`)
    held.set(tariff.id, tariff.last_updated)
    t.same((await cpo.call('GET', `${url}/DE/ALL/${tariff.id}`)).body.data, tariff, `${name} reads back`)
  }
  // tariff_8 (id 16, 11:16:55) arrived after tariff_6 (id 16, 17:15:01) in name order and lost.
  t.same((await cpo.call('GET', `${url}/DE/ALL/16`)).body.data, fixture('tariff_6_025kwh_start_max_price.json'))
})

t.test('the invalid PUT example is refused with 2001 naming its party, nothing stored', async (t) => {
  const { cpo, url } = await setup(t)
  const res = await cpo.call('PUT', `${url}/NL/TNM/12`, fixture('tariff_put_example.json'))
  t.equal(res.body.status_code, 2001)
  // Its missing last_updated is tolerated (the receipt time); its party still differs from the URL.
  t.match(res.body.status_message, /country_code in the body \(DE\) differs from the URL \(NL\)/)
  t.equal((await cpo.call('GET', `${url}/NL/TNM/12`)).status, 404)
  t.equal((await cpo.call('GET', `${url}/DE/ALL/12`)).status, 404)
})

t.test('every version is kept; lookups answer the version valid at an instant', async (t) => {
  const { cpo, url, service } = await setup(t)
  const base = fixture('tariff_1_simple_2hour.json')
  const v1 = { ...base, last_updated: '2020-01-01T00:00:00Z' }
  const v2 = { ...base, currency: 'CHF', last_updated: '2020-06-01T00:00:00Z' }
  const other = { ...fixture('tariff_3_alt_url.json'), last_updated: '2020-03-01T00:00:00Z' }
  await cpo.call('PUT', `${url}/DE/ALL/12`, v1)
  await cpo.call('PUT', `${url}/DE/ALL/12`, v2)
  await cpo.call('PUT', `${url}/DE/ALL/13`, other)
  t.equal(
    (await cpo.call('PUT', `${url}/DE/ALL/12`, { ...base, currency: 'USD', last_updated: '2020-05-01T00:00:00Z' })).body.status_message,
    'Ignored: we hold a newer last_updated',
  )
  t.same(await service.findTariffValidAt('DE', 'ALL', '12', new Date('2020-03-01T00:00:00Z')), v1)
  t.same(
    await service.findTariffValidAt('de', 'all', '12', new Date('2020-06-01T00:00:00Z')),
    v2,
    'valid from last_updated, inclusive; ids case-insensitive',
  )
  t.same(
    await service.findTariffValidAt('DE', 'ALL', '12', new Date('2019-01-01T00:00:00Z')),
    v1,
    'before the oldest version: the oldest we know',
  )
  t.same(await service.tariffsValidAt('DE', 'ALL', new Date('2020-04-01T00:00:00Z')), [v1, other])

  // DELETE at the clock's now (2021-01-01): the tariff ends there, older versions still answer.
  t.equal((await cpo.call('DELETE', `${url}/DE/ALL/12`)).body.status_code, 1000)
  t.equal((await cpo.call('GET', `${url}/DE/ALL/12`)).status, 404)
  t.equal(await service.findTariffValidAt('DE', 'ALL', '12', new Date('2021-02-01T00:00:00Z')), undefined)
  t.same(await service.findTariffValidAt('DE', 'ALL', '12', new Date('2020-12-31T00:00:00Z')), v2)
  t.same(await service.tariffsValidAt('DE', 'ALL', new Date('2021-02-01T00:00:00Z')), [other])
  t.equal((await cpo.call('DELETE', `${url}/DE/ALL/12`)).status, 404, 'deleting twice: unknown')
  const stale = await cpo.call('PUT', `${url}/DE/ALL/12`, v2)
  t.match(stale.body.status_message, /newer/, 'a replay older than the deletion does not revive it')
  t.equal((await cpo.call('GET', `${url}/DE/ALL/12`)).status, 404)

  // Rating's batch read answers each (tariff, instant) exactly as the one-by-one look-up, in the order asked.
  const asks = [
    ['DE', 'ALL', '12', '2019-01-01T00:00:00Z'],
    ['de', 'all', '12', '2020-06-01T00:00:00Z'],
    ['DE', 'ALL', '12', '2020-12-31T00:00:00Z'],
    ['DE', 'ALL', '12', '2021-02-01T00:00:00Z'],
    ['DE', 'ALL', '13', '2020-04-01T00:00:00Z'],
    ['DE', 'ALL', '99', '2020-04-01T00:00:00Z'],
  ].map(([countryCode, partyId, tariffId, at]) => ({
    countryCode: countryCode!,
    partyId: partyId!,
    tariffId: tariffId!,
    at: new Date(at!),
  }))
  const one = await Promise.all(asks.map((a) => service.findTariffValidAt(a.countryCode, a.partyId, a.tariffId, a.at)))
  t.same(await service.findTariffsValidAt(asks), one, 'findTariffsValidAt agrees with findTariffValidAt')
  t.same(
    one.map((v) => v?.currency ?? null),
    ['EUR', 'CHF', 'CHF', null, other.currency, null],
    'oldest before the first version, newest on and after, none after the deletion or for an unknown tariff',
  )
  t.same(await service.findTariffsValidAt([]), [])
})

t.test('party rules: foreign party or URL/body mismatch refused, nothing written', async (t) => {
  const { cpo, url, service } = await setup(t)
  const tariff = fixture('tariff_1_simple_2hour.json')
  const foreign = await cpo.call('PUT', `${url}/FR/XYZ/12`, { ...tariff, country_code: 'FR', party_id: 'XYZ' })
  t.equal(foreign.status, 404)
  t.equal(foreign.body.status_code, 2001)
  const mismatch = await cpo.call('PUT', `${url}/NL/TNM/12`, tariff)
  t.equal(mismatch.body.status_code, 2001)
  t.match(mismatch.body.status_message, /country_code in the body \(DE\) differs/)
  const idMismatch = await cpo.call('PUT', `${url}/DE/ALL/99`, tariff)
  t.equal(idMismatch.body.status_code, 2001)
  t.same(await service.tariffsValidAt('NL', 'TNM', new Date('2030-01-01T00:00:00Z')), [])
  t.same(await service.tariffsValidAt('DE', 'ALL', new Date('2030-01-01T00:00:00Z')), [])
  t.equal((await cpo.call('DELETE', `${url}/FR/XYZ/12`)).status, 404)
})
