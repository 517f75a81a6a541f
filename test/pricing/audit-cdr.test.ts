import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { readPricingCase } from '../../src/ocpi/pricing-case.js'
import { auditCdr, Dec, type AuditInput } from '../../src/pricing/index.js'

const cdrExample = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', 'fixtures', 'pricing', 'spec-cdr-example', 'cdr.json'), 'utf8'),
) as Record<string, unknown>

function audit(cdr: Record<string, unknown>, tolerance?: string) {
  const read = readPricingCase({ cdr })
  if (!read.ok || !read.value.claimed) throw new Error('bad fixture')
  const input: AuditInput = {
    pricing: read.value.input,
    claimed: read.value.claimed,
    ...(tolerance ? { tolerance: new Dec(tolerance) } : {}),
  }
  const r = auditCdr(input)
  if (!r.ok) throw new Error(r.error.message)
  return r.value
}

t.test('a CDR that matches its tariff is not disputed; every stated total is compared', async (t) => {
  const a = audit(cdrExample)
  t.equal(a.disputed, false)
  t.same(
    a.differences.map((d) => `${d.total}.${d.vat}:${d.difference.toString()}`),
    ['total_cost.excl_vat:0', 'total_cost.incl_vat:0', 'total_time_cost.excl_vat:0', 'total_time_cost.incl_vat:0'],
  )
  t.match(a.explanation[0], /within 0.01 EUR/)
})

t.test('an overcharge beyond the tolerance is a dispute with the breakdown that explains it', async (t) => {
  const a = audit({ ...cdrExample, total_cost: { excl_vat: 4.5, incl_vat: 4.95 }, total_time_cost: undefined })
  t.equal(a.disputed, true)
  const excl = a.differences.find((d) => d.total === 'total_cost' && d.vat === 'excl_vat')!
  t.same([excl.claimed.toString(), excl.computed.toString(), excl.difference.toString(), excl.exceedsTolerance], ['4.5', '4', '0.5', true])
  t.match(a.explanation[0], /total_cost\.excl_vat: CDR states 4\.5, tariff "12" gives 4\.0000 \(difference \+0\.5000 EUR/)
  t.match(a.explanation.join('\n'), /period 0 \(2015-06-29T23:39:09 MONDAY\) TIME 7103 s billed 7200 s \(step_size 300\) at 2\/h, VAT 10 %/)
  t.equal(a.report.totals.totalCost.exclVat.toString(), '4', 'the report comes along for storage')
})

t.test('tolerance: default 0.01, configurable, compared on the absolute difference', async (t) => {
  const under = { ...cdrExample, total_cost: { excl_vat: 3.99, incl_vat: 4.39 }, total_time_cost: undefined }
  t.equal(audit(under).disputed, false, '0.01 is within the default tolerance')
  t.equal(audit(under, '0.005').disputed, true)
  t.equal(audit({ ...under, total_cost: { excl_vat: 3.98 } }).disputed, true, 'undercharges are disputes too')
  t.equal(audit({ ...under, total_cost: { excl_vat: 4 } }).differences.length, 1, 'an absent incl_vat is not compared')
})

t.test('a credit CDR states negative totals and is compared with the negated price', async (t) => {
  const credit = {
    ...cdrExample,
    id: '12345-C',
    credit: true,
    credit_reference_id: '12345',
    total_cost: { excl_vat: -4, incl_vat: -4.4 },
    total_time_cost: undefined,
  }
  t.equal(audit(credit).disputed, false)
  t.equal(audit({ ...credit, total_cost: { excl_vat: 4, incl_vat: 4.4 } }).disputed, true)
})

t.test('claims: a case without total_cost states none; pricing errors come back typed', async (t) => {
  const none = readPricingCase({ cdr: { ...cdrExample, total_cost: undefined } })
  t.equal(none.ok && none.value.claimed, null, 'nothing claimed, nothing to audit')
  const read = readPricingCase({
    cdr: cdrExample,
    tariffs: [{ id: 'OTHER', currency: 'EUR', elements: [{ price_components: [{ type: 'TIME', price: 1, step_size: 1 }] }] }],
  })
  if (!read.ok || !read.value.claimed) throw new Error('bad fixture')
  const a = auditCdr({ pricing: read.value.input, claimed: read.value.claimed })
  t.same(!a.ok && a.error.code, 'unknown_tariff_id', 'the CDR names tariff 12, the operator has only OTHER')
})
