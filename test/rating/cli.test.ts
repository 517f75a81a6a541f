// The pinned command line: `tsx scripts/rate.ts <case.json>` prints JSON; bad input exits with 2.
import t from 'tap'
import { runScript } from '../helpers/script.js'

const FIXTURES = 'test/fixtures/rating'

const rate = (file: string, via?: 'tsx') => runScript('scripts/rate.ts', [file], { cwd: process.cwd(), via })

t.test('rates a case file and prints the pinned JSON shape', async (t) => {
  const { code, stdout } = await rate(`${FIXTURES}/de-active-ac-blocking.json`, 'tsx')
  t.equal(code, 0)
  const json = JSON.parse(stdout) as Record<string, unknown>
  t.same(Object.keys(json), ['currency', 'total', 'rule', 'lines'])
  // 22.5 kWh × 0.36 = 8.10; 66 blocking minutes × 0.06 = 3.96; session fee 0.59
  t.match(json, {
    currency: 'EUR',
    total: '12.65',
    rule: 'fixed_price',
    lines: [
      { kind: 'energy', quantity: '22.5', unit: 'kWh', unit_price: '0.36', amount: '8.10', text: String },
      { kind: 'blocking_fee', quantity: '66', unit: 'min', unit_price: '0.06', amount: '3.96', text: /08:00 and 21:00/ },
      { kind: 'session_fee', quantity: '1', unit: 'session', unit_price: '0.59', amount: '0.59', text: String },
    ],
  })
})

t.test('a credit case with its original CDR prints the reversal', async (t) => {
  const { code, stdout } = await rate(`${FIXTURES}/de-active-credit-with-original.json`)
  t.equal(code, 0)
  t.match(JSON.parse(stdout), { total: '-12.65', rule: 'credit:fixed_price' })
})

t.test('bad input exits with code 2 and says what is wrong', async (t) => {
  const missingTotal = await rate(`${FIXTURES}/bad-cdr-without-total-cost.json`)
  t.equal(missingTotal.code, 2)
  t.match(missingTotal.stderr, /cdr\.total_cost: required/)
  t.equal(missingTotal.stdout, '')
  const market = await rate(`${FIXTURES}/bad-home-market.json`)
  t.equal(market.code, 2)
  t.match(market.stderr, /contract\.home_market: must be one of DE, SI, EE/)
  const missingFile = await rate(`${FIXTURES}/does-not-exist.json`)
  t.equal(missingFile.code, 2)
  t.match(missingFile.stderr, /cannot read/)
})
