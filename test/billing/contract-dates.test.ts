import t from 'tap'
import { cancellationDate, contractDate, periodAt, periodsBeginningIn } from '../../src/billing/contract-dates.js'

t.test("booked on the 7th: the 6th of every following month (the price lists' example)", async (t) => {
  t.same(
    [1, 2, 3].map((k) => contractDate('2025-01-07', k)),
    ['2025-02-06', '2025-03-06', '2025-04-06'],
  )
  t.same(periodAt('2025-01-07', 1), { index: 1, from: '2025-01-07', to: '2025-02-06' })
  t.same(periodAt('2025-01-07', 2), { index: 2, from: '2025-02-07', to: '2025-03-06' })
})

t.test('booked on the 1st: the day before is the last day of the month', async (t) => {
  t.same(
    [1, 2, 3].map((k) => contractDate('2025-01-01', k)),
    ['2025-01-31', '2025-02-28', '2025-03-31'],
  )
  t.same(periodAt('2025-01-01', 2), { index: 2, from: '2025-02-01', to: '2025-02-28' })
  // leap year
  t.equal(contractDate('2024-01-01', 2), '2024-02-29')
})

t.test('booked on the 29th: the 28th, also in a non-leap February', async (t) => {
  t.same(
    [1, 2, 3].map((k) => contractDate('2025-01-29', k)),
    ['2025-02-28', '2025-03-28', '2025-04-28'],
  )
  t.same(periodAt('2025-01-29', 2), { index: 2, from: '2025-03-01', to: '2025-03-28' })
})

t.test('booked on the 30th: the 29th; February without a 29th gives the 28th, a leap February the 29th', async (t) => {
  t.same(
    [1, 2, 3].map((k) => contractDate('2025-01-30', k)),
    ['2025-02-28', '2025-03-29', '2025-04-29'],
  )
  t.same(
    [1, 2].map((k) => contractDate('2024-01-30', k)),
    ['2024-02-29', '2024-03-29'],
  )
  t.same(periodAt('2024-01-30', 2), { index: 2, from: '2024-03-01', to: '2024-03-29' })
})

t.test('booked on the 31st: the 30th, or the last day of a shorter month', async (t) => {
  t.same(
    [1, 2, 3, 4].map((k) => contractDate('2025-01-31', k)),
    ['2025-02-28', '2025-03-30', '2025-04-30', '2025-05-30'],
  )
  t.equal(contractDate('2024-01-31', 1), '2024-02-29')
  t.same(periodAt('2025-01-31', 2), { index: 2, from: '2025-03-01', to: '2025-03-30' })
  t.same(periodAt('2025-01-31', 3), { index: 3, from: '2025-03-31', to: '2025-04-30' })
  // booked 31 December: into the next year
  t.equal(contractDate('2024-12-31', 2), '2025-02-28')
})

t.test('periods are consecutive: each begins the day after the previous contract date', async (t) => {
  for (const start of ['2024-01-01', '2024-01-29', '2024-01-30', '2024-01-31', '2023-02-28', '2024-02-29', '2025-08-31']) {
    let prev = periodAt(start, 1)
    for (let k = 2; k <= 30; k++) {
      const p = periodAt(start, k)
      const next = new Date(Date.parse(`${prev.to}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)
      t.equal(p.from, next, `${start} #${k}`)
      t.ok(p.to >= p.from, `${start} #${k} not empty`)
      prev = p
    }
  }
})

t.test('periods beginning in a month; none after the end date', async (t) => {
  // booked 31 Jan 2025: March has two periods beginning in it (1 Mar and 31 Mar)
  t.same(
    periodsBeginningIn('2025-01-31', null, '2025-03-01', '2025-03-31').map((p) => p.from),
    ['2025-03-01', '2025-03-31'],
  )
  // February has none (the period beginning 31 Jan runs to 28 Feb)
  t.same(periodsBeginningIn('2025-01-31', null, '2025-02-01', '2025-02-28'), [])
  t.same(periodsBeginningIn('2025-01-07', '2025-03-06', '2025-03-01', '2025-03-31'), [])
  t.same(
    periodsBeginningIn('2025-01-07', '2025-03-06', '2025-02-01', '2025-02-28').map((p) => p.index),
    [2],
  )
})

t.test('cancelling takes effect on the next contract date', async (t) => {
  t.equal(cancellationDate('2025-01-07', '2025-01-10'), '2025-02-06', 'within the initial term: its end')
  t.equal(cancellationDate('2025-01-07', '2025-03-06'), '2025-03-06', 'given on a contract date: that day')
  t.equal(cancellationDate('2025-01-07', '2025-03-07'), '2025-04-06')
  t.equal(cancellationDate('2024-01-31', '2024-02-10'), '2024-02-29')
})
