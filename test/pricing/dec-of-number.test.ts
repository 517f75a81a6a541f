// decOfNumber (issue 20 item 2) is `new Dec(String(n))` without the string: same digits, exponent and
// sign for every JSON number, a negative zero read as 0 as its text '0' is.
import t from 'tap'
import { Dec, decOfNumber } from '../../src/pricing/index.js'

const same = (a: Dec, b: Dec) => a.s === b.s && a.e === b.e && JSON.stringify(a.d) === JSON.stringify(b.d)

t.test('decOfNumber equals new Dec(String(n))', async (t) => {
  const numbers = [0, -0, 1, -1, 11, 9_999_999, 10_000_000, 12_345_678_901, 0.1, 0.39, -0.39, 3.125, 1e-7, 5e-324, -5e-324]
  numbers.push(1e21, 1.7976931348623157e308, -1e21, 123.456_789_012_345_67, 0.000_138_888_888_888_888_9, 2 ** 53, 2 ** 53 + 2)
  let seed = 7
  for (let i = 0; i < 20_000; i++) {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648
    const digits = 1 + (seed % 17)
    const value = ((seed % 2 === 0 ? 1 : -1) * seed) / 10 ** (seed % 12)
    numbers.push(Number(value.toPrecision(digits)), seed % 1000, -(seed % 100_000_000))
  }
  const wrong = numbers.filter((n) => !same(decOfNumber(n), new Dec(String(n))))
  t.same(wrong, [], `${numbers.length} numbers`)
  t.equal(decOfNumber(-0).isNegative(), false, 'a negative zero is read as 0')
  t.equal(decOfNumber(0.39).toString(), '0.39')
})
