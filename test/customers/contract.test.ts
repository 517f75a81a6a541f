import t from 'tap'
import { contractStanding, hasPackage, isValidContractId, luhnDigit } from '../../src/customers/index.js'
import { fromOcpiToken, toOcpiBlockPatch, toOcpiToken } from '../../src/ocpi/tokens/tokens.convert.js'
import { TokenPatchSchema, TokenSchema } from '../../src/ocpi/tokens/tokens.schema.js'
import { readFileSync } from 'node:fs'

t.test('Luhn check digit of the contract number', async (t) => {
  t.equal(luhnDigit('7992739871'), 3, 'the textbook Luhn example')
  // 12345678 by hand: doubled from the right 8,6,4,2 -> 7,3,8,4 (22); others 7,5,3,1 (16); 38 -> 2
  t.equal(luhnDigit('12345678'), 2)
  t.ok(isValidContractId('DE-BMW-C12345678-2'))
  t.notOk(isValidContractId('DE-BMW-C12345678-9'), 'wrong check digit')
  t.notOk(isValidContractId('DE-BMW-C12345687-2'), 'swapped digits are caught')
  t.notOk(isValidContractId('DE-BMW-12345678-2'), 'C prefix required')
})

t.test('contract standing on a day', async (t) => {
  const base = { state: 'active' as const, startDate: '2026-01-01', endDate: null, noCredit: false }
  t.equal(contractStanding(base, '2026-01-01'), 'ok', 'start date is inclusive')
  t.equal(contractStanding(base, '2025-12-31'), 'not_started')
  t.equal(contractStanding({ ...base, noCredit: true }, '2026-02-01'), 'no_credit')
  const cancelled = { ...base, state: 'cancelled' as const, endDate: '2026-03-31' }
  t.equal(contractStanding(cancelled, '2026-03-31'), 'ok', 'end date is inclusive')
  t.equal(contractStanding(cancelled, '2026-04-01'), 'ended')
  t.equal(
    contractStanding({ ...base, state: 'terminated', endDate: '2026-02-01' }, '2026-01-15'),
    'terminated',
    'terminated wins whatever the dates',
  )
  const withPlus = { packages: [{ code: 'IONITY_PLUS' as const, bookedAt: '2026-02-01', endsAt: '2026-02-28' }] }
  t.notOk(hasPackage(withPlus, 'IONITY_PLUS', '2026-01-31'))
  t.ok(hasPackage(withPlus, 'IONITY_PLUS', '2026-02-28'))
  t.notOk(hasPackage(withPlus, 'IONITY_PLUS', '2026-03-01'))
})

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/ocpi/tokens/${name}`, import.meta.url), 'utf8'))

t.test('spec token examples pass unmodified and survive our converters', async (t) => {
  for (const name of ['token_example_1_app_user.json', 'token_example_2_full_rfid.json', 'token_put_example.json']) {
    const wire = fixture(name)
    const parsed = TokenSchema.safeParse(wire)
    t.ok(parsed.success, `${name} is a valid Token`)
    const { owner, token } = fromOcpiToken(parsed.data!)
    t.same(toOcpiToken(token, owner), wire, `${name}: from and back to the wire is the identity`)
  }
  const patch = fixture('token_patch_example.json')
  t.ok(TokenPatchSchema.safeParse(patch).success)
  const { token } = fromOcpiToken(fixture('token_put_example.json'))
  const ours = toOcpiBlockPatch({ ...token, lastUpdated: new Date('2019-06-19T02:11:11Z') })
  t.same(ours, patch, 'our block PATCH is the spec example')
})
