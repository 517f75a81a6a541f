// The real-world corpus (test/fixtures/ocpi/real-world): payloads as CPOs really send them, each
// with its public source and expected outcome, sent over real HTTP by a registered CPO. Accepted
// ones are read with exactly the deviations named, served back normalised and (CDRs) rated or on
// the unrated list with the expected reason; refused ones get 2001 naming the field and nothing is
// stored. Every deviation is counted in the partner's conformance report.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { startTestApp } from '../../helpers/build-app.js'
import { startCpoSimulator } from '../../helpers/cpo-simulator.js'

const DIR = join(import.meta.dirname, '..', '..', 'fixtures', 'ocpi', 'real-world')

interface Case {
  source: string[] | string
  note: string
  module: 'cdrs' | 'locations' | 'sessions' | 'tariffs'
  body: Record<string, unknown>
  expected: {
    outcome: 'accepted' | 'refused'
    status_code?: number
    message?: string
    deviations?: string[]
    normalised?: Record<string, unknown>
    rating?: { status: string; reason_code?: string; total?: string; rule?: string }
    audit?: Record<string, unknown>
  }
}

const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.json') && !f.startsWith('held-'))
  .sort()
const read = (file: string) => JSON.parse(readFileSync(join(DIR, file), 'utf8'))

t.test('every case names its public source, what it shows and its expected outcome', async (t) => {
  t.ok(files.length >= 25, `${files.length} cases`)
  for (const file of files) {
    const c = read(file) as Case
    t.ok(
      [c.source].flat().every((s) => typeof s === 'string' && s.length > 5),
      `${file}: source`,
    )
    t.ok(c.note.length > 40, `${file}: note`)
    t.ok(['accepted', 'refused'].includes(c.expected.outcome), `${file}: outcome`)
    if (c.expected.outcome === 'refused') t.equal(c.expected.status_code, 2001, `${file}: refused with 2001`)
  }
})

t.test('the corpus over real HTTP', async (t) => {
  const emsp = await startTestApp(t)
  const { id: partnerId, token_a, versions_url } = (await emsp.admin('POST', '/partners', { name: 'Be Charging' })).body
  const cpo = await startCpoSimulator(t, { countryCode: 'BE', partyId: 'BEC' })
  await cpo.registerWith(versions_url, token_a)
  const customer = (
    await emsp.admin('POST', '/customers', {
      name: 'Erika Mustermann',
      email: 'erika@example.com',
      home_market: 'DE',
      tariff: 'ACTIVE',
      start_date: '2025-01-01',
      vehicle: { vin: 'WBA11AA0X0FX12345', model: 'iX', delivery_date: '2024-12-01' },
    })
  ).body
  const fill = (body: unknown) =>
    JSON.parse(
      JSON.stringify(body).replaceAll('{{TOKEN_UID}}', customer.tokens[0].uid).replaceAll('{{CONTRACT_ID}}', customer.contract_id),
    ) as Record<string, unknown>
  const held = await cpo.call('PUT', `${cpo.endpointOfEmsp('locations')}/BE/BEC/LOC1`, read('held-location-gent.json').body)
  t.equal(held.body.status_code, 1000, 'the Location the CDRs name is held')

  const counts = async () => {
    const report = (await emsp.admin('GET', `/partners/${partnerId}/conformance`)).body as {
      deviations: { module: string; kind: string; count: number }[]
    }
    return new Map(report.deviations.map((d) => [`${d.module} ${d.kind}`, d.count]))
  }
  const urlOf = (c: Case, id: string) => `${cpo.endpointOfEmsp(c.module)}/BE/BEC/${id}`
  const ratings: { file: string; id: string; expected: NonNullable<Case['expected']['rating']>; audit?: Record<string, unknown> }[] = []

  for (const file of files) {
    const c = read(file) as Case
    const body = fill(c.body)
    await t.test(file, async (t) => {
      const before = await counts()
      const res =
        c.module === 'cdrs'
          ? await cpo.call('POST', cpo.endpointOfEmsp('cdrs'), body)
          : await cpo.call('PUT', urlOf(c, String(body.id)), body)
      if (c.expected.outcome === 'refused') {
        t.equal(res.body.status_code, 2001, res.body.status_message)
        t.match(res.body.status_message, c.expected.message!, 'names the field')
        if (c.module === 'cdrs') {
          const listed = (await emsp.admin('GET', '/cdrs?rating_status=PENDING&limit=500')).body.data as { cdr_id: string }[]
          t.notOk(
            listed.some((l) => l.cdr_id === String(body.id ?? '').toUpperCase()),
            'nothing stored',
          )
        } else {
          t.equal((await cpo.call('GET', urlOf(c, String(body.id)))).status, 404, 'nothing stored')
        }
        return
      }
      t.equal(res.body.status_code, 1000, res.body.status_message)
      const after = await counts()
      const counted = [...after]
        .filter(([key, n]) => n > (before.get(key) ?? 0))
        .map(([key]) => key.replace(`${c.module} `, ''))
        .sort()
      t.same(counted, [...(c.expected.deviations ?? [])].sort(), 'exactly these deviations, counted in the conformance report')
      const location = c.module === 'cdrs' ? String(res.headers.location) : urlOf(c, String(body.id))
      const served = await cpo.call('GET', location)
      t.equal(served.status, 200)
      if (c.expected.normalised) t.match(served.body.data, c.expected.normalised, 'served back normalised')
      if (c.module === 'cdrs') {
        t.equal(served.body.data.id, body.id, 'the id leaves exactly as sent')
        if (c.expected.rating)
          ratings.push({
            file,
            id: location.split('/').pop()!,
            expected: c.expected.rating,
            ...(c.expected.audit ? { audit: c.expected.audit } : {}),
          })
      }
    })
  }

  await t.test('every acknowledged CDR is rated or on the unrated list with its reason', async (t) => {
    await emsp.app.jobs.runDue()
    for (const r of ratings) {
      const rating = (await emsp.admin('GET', `/cdrs/${r.id}/rating`)).body
      t.equal(rating.status, r.expected.status, `${r.file}: ${rating.reason ?? ''}`)
      if (r.expected.reason_code) t.equal(rating.reason_code, r.expected.reason_code, r.file)
      if (r.expected.total)
        t.match(rating.active_charge, { total: r.expected.total, rule: r.expected.rule }, `${r.file}: charged as the conforming CDR`)
      if (r.audit) t.match(rating.audit, r.audit, `${r.file}: audit`)
    }
    const unrated = (await emsp.admin('GET', '/cdrs?rating_status=UNRATED')).body.data as { id: string }[]
    t.same(
      unrated.map((u) => u.id).sort(),
      ratings
        .filter((r) => r.expected.status === 'UNRATED')
        .map((r) => r.id)
        .sort(),
      'the unrated list holds exactly the held ones',
    )
    t.equal((await emsp.admin('GET', '/cdrs?rating_status=PENDING')).body.total, 0, 'nothing acknowledged sits in a third state')
  })
})
