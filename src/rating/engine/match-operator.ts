// Which operator of the price lists ran a charging session. The registry is data (editable by the
// operators of the service; its shape and seed are the catalog's); this file only matches against it.
import type { OperatorEntry, OperatorRegistry } from '../../catalog/index.js'

export interface OperatorMatch {
  readonly operator: OperatorEntry
  readonly matchedBy: 'party' | 'name'
}

export interface OperatorClues {
  /** The CDR's CPO party (`country_code` + `party_id`). */
  readonly cpoCountryCode: string
  readonly cpoPartyId: string
  /** `Location.operator.name`, when a Location is known. */
  readonly operatorName?: string
}

interface RegistryIndex {
  readonly byExactParty: Map<string, OperatorEntry>
  readonly byAnyCountryParty: Map<string, OperatorEntry>
  readonly byName: Map<string, OperatorEntry>
}

// The index is derived from the registry object alone, so caching it per object keeps the function pure.
const indexes = new WeakMap<OperatorRegistry, RegistryIndex>()

export const normalizeOperatorName = (name: string): string => name.trim().replace(/\s+/g, ' ').toLowerCase()

const buildIndex = (registry: OperatorRegistry): RegistryIndex => {
  const index: RegistryIndex = { byExactParty: new Map(), byAnyCountryParty: new Map(), byName: new Map() }
  for (const operator of registry) {
    for (const party of operator.parties) {
      const partyId = party.partyId.toUpperCase()
      // The first entry wins on a duplicate claim, so the registry's order is the tie-break.
      if (party.countryCode === '*') {
        if (!index.byAnyCountryParty.has(partyId)) index.byAnyCountryParty.set(partyId, operator)
      } else {
        const key = `${party.countryCode.toUpperCase()}*${partyId}`
        if (!index.byExactParty.has(key)) index.byExactParty.set(key, operator)
      }
    }
    for (const name of operator.names) {
      const key = normalizeOperatorName(name)
      if (!index.byName.has(key)) index.byName.set(key, operator)
    }
  }
  return index
}

const indexOf = (registry: OperatorRegistry): RegistryIndex => {
  let index = indexes.get(registry)
  if (!index) {
    index = buildIndex(registry)
    indexes.set(registry, index)
  }
  return index
}

/**
 * The CPO party decides first (an exact country + party id before a party id registered for any
 * country); only when the party is unknown does the Location's operator name count.
 */
export const matchOperator = (registry: OperatorRegistry, clues: OperatorClues): OperatorMatch | undefined => {
  const index = indexOf(registry)
  const partyId = clues.cpoPartyId.toUpperCase()
  const byParty = index.byExactParty.get(`${clues.cpoCountryCode.toUpperCase()}*${partyId}`) ?? index.byAnyCountryParty.get(partyId)
  if (byParty) return { operator: byParty, matchedBy: 'party' }
  if (clues.operatorName === undefined) return undefined
  const byName = index.byName.get(normalizeOperatorName(clues.operatorName))
  return byName ? { operator: byName, matchedBy: 'name' } : undefined
}
