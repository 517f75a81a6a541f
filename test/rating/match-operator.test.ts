// The operator registry: CPO party first, then the Location's operator name (case-insensitive).
import t from 'tap'
import { type OperatorRegistry, operatorRegistrySeed } from '../../src/catalog/index.js'
import { matchOperator } from '../../src/rating/engine/match-operator.js'

const match = (countryCode: string, partyId: string, operatorName?: string, registry: OperatorRegistry = operatorRegistrySeed) =>
  matchOperator(registry, { cpoCountryCode: countryCode, cpoPartyId: partyId, ...(operatorName ? { operatorName } : {}) })

t.test('seeded parties: IONITY (ION in any country), EnBW (DE/EBW), Mer (MER)', async (t) => {
  t.equal(match('DE', 'ION')?.operator.id, 'ionity')
  t.equal(match('NO', 'ION')?.operator.id, 'ionity')
  t.equal(match('de', 'ion')?.operator.id, 'ionity', 'CiString: case-insensitive')
  t.equal(match('DE', 'EBW')?.operator.id, 'enbw')
  t.equal(match('AT', 'EBW'), undefined, 'EBW is EnBW only in Germany')
  t.equal(match('NO', 'MER')?.operator.id, 'mer')
  t.equal(match('DE', 'ION')?.matchedBy, 'party')
})

t.test('operator name when the party is unknown', async (t) => {
  t.equal(match('NL', 'XYZ', 'Allego')?.operator.id, 'allego')
  t.equal(match('NL', 'XYZ', '  allego ')?.operator.id, 'allego', 'trimmed and case-insensitive')
  t.equal(match('PL', 'XYZ', 'POWER  DOT')?.operator.id, 'power-dot', 'inner spaces collapsed')
  t.equal(match('SE', 'XYZ', 'Mer Sweden')?.operator.id, 'mer')
  t.equal(match('NL', 'XYZ', 'Allego')?.matchedBy, 'name')
  t.equal(match('NL', 'XYZ', 'Allegro'), undefined, 'no fuzzy matching')
  t.equal(match('NL', 'XYZ'), undefined)
})

t.test('the party wins over the name, and an exact country over a party id for any country', async (t) => {
  t.equal(match('DE', 'ION', 'Allego')?.operator.id, 'ionity')
  const registry: OperatorRegistry = [
    { id: 'any', name: 'Any', parties: [{ countryCode: '*', partyId: 'ABC' }], names: [] },
    { id: 'french', name: 'French', parties: [{ countryCode: 'FR', partyId: 'ABC' }], names: [] },
  ]
  t.equal(match('FR', 'ABC', undefined, registry)?.operator.id, 'french')
  t.equal(match('BE', 'ABC', undefined, registry)?.operator.id, 'any')
})
