import t from 'tap'
import { applyMinMaxPrice } from '../../src/pricing/min-max-price.js'
import type { Price, PriceBound } from '../../src/pricing/types.js'
import { Dec } from '../../src/pricing/index.js'
import { d, tariff } from './helpers.js'

const price = (excl: string, incl: string): Price => ({ exclVat: d(excl), inclVat: d(incl) })
const bound = (excl: string, incl: string | null = null): PriceBound => ({ exclVat: d(excl), inclVat: incl === null ? null : d(incl) })
const apply = (total: Price, min: PriceBound | null, max: PriceBound | null) => {
  const r = applyMinMaxPrice(total, tariff([], { minPrice: min, maxPrice: max }))
  return [r.total.exclVat.toString(), r.total.inclVat.toString(), r.cap.applied]
}

t.test('min and max price, each on excl and incl separately', async (t) => {
  t.same(apply(price('0.25', '0.275'), bound('0.50', '0.55'), null), ['0.5', '0.55', 'min_price'])
  t.same(apply(price('13', '14.35'), null, bound('10', '11')), ['10', '11', 'max_price'])
  t.same(apply(price('8', '8.85'), bound('1', '1.1'), bound('10', '11')), ['8', '8.85', null])
  t.same(apply(price('10', '12'), null, bound('10', '11.5')), ['10', '11.5', 'max_price'], 'only the incl bound binds')
})

t.test('a bound without incl_vat moves incl by the same factor as excl', async (t) => {
  t.same(apply(price('0.5', '0.6'), bound('2'), null), ['2', '2.4', 'min_price'])
  t.same(apply(price('0', '0'), bound('2'), null), ['2', '2', 'min_price'], 'nothing to scale from a zero total: no VAT assumed')
  t.same(apply(price('0.5', '0.5'), bound('2'), null), ['2', '2', 'min_price'], 'no VAT in the total: none added')
})

t.test('pinned consequence: with an excl-only floor, incl follows the VAT mix and can drop as VAT-free volume is added', async (t) => {
  // FLAT 0.01 at 7 % alone: 0.01 / 0.0107 -> floor 0.02, VAT share 7 % -> 0.0214
  t.same(apply(price('0.01', '0.0107'), bound('0.02'), null), ['0.02', '0.0214', 'min_price'])
  // plus 0.00001 of VAT-free energy: effective VAT 0.0007 / 0.01001 -> 0.0213986..
  const [, incl] = apply(price('0.01001', '0.01071'), bound('0.02'), null)
  t.ok(new Dec(incl as string).lt('0.0214'))
})

t.test('contradicting bounds: max wins; incl never below excl', async (t) => {
  t.same(apply(price('1', '1.2'), bound('5', '6'), bound('3', '3.6')), ['3', '3.6', 'max_price'])
  t.same(apply(price('20', '24'), null, bound('10', '9')), ['10', '10', 'max_price'])
})
