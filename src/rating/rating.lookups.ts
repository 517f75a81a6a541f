// What rating reads from other modules, through their public services: contracts (customers),
// our tokens, the CPOs' Locations and tariffs. Wired in index.ts; the services take the port.
import type { Contract as CustomerContract, CustomersService } from '../customers/index.js'
import { contractStanding, hasPackage } from '../customers/index.js'
import type { Location, LocationsService } from '../ocpi/locations/index.js'
import type { Tariff, TariffsService } from '../ocpi/tariffs/index.js'
import type { TokensService } from '../ocpi/tokens/index.js'
import type { Contract } from './engine/rating.types.js'

/** What rating needs to know about a contract (the customers module's model, narrowed). */
export interface RatingContract {
  contractId: string
  customerId: string
  homeMarket: 'DE' | 'SI' | 'EE'
  tariff: 'ACTIVE' | 'FLEX'
  /** First day of the contract (ISO date). */
  startDate: string
  /** Packages booked on the day that matters (the CDR's start). */
  packages: 'IONITY_PLUS'[]
}

/** Lookups in other modules, through their public services. */
export interface RatingLookups {
  /** The contract a token of ours belongs to, with the packages booked on `day`; undefined if unknown. */
  contractOfToken(uid: string, type: string, day: string): Promise<RatingContract | undefined>
  contractById(contractId: string, day: string): Promise<RatingContract | undefined>
  /** Our token (case-insensitive uid) with its contract id and when we issued it, if it is ours. */
  token(uid: string, type: string): Promise<{ contractId: string; createdAt: Date } | undefined>
  /** The CPO's Location as we hold it (with EVSEs and connectors), if any. */
  location(countryCode: string, partyId: string, locationId: string): Promise<Location | undefined>
  /** The customer's contract that charges today (active, else cancelled but not ended), if any. */
  contractOfCustomer(customerId: string, day: string): Promise<RatingContract | undefined>
  /** The version of an operator tariff valid at `at`, if stored. */
  tariffAt(countryCode: string, partyId: string, tariffId: string, at: Date): Promise<Tariff | undefined>
  /**
   * The same look-ups for a batch of CDRs: the tokens, contracts and Locations named in `needs` are
   * read once per kind (a few statements for the whole batch); anything else is read as usual.
   */
  forBatch(needs: BatchNeeds): Promise<RatingLookups>
}

/** What a batch of CDRs will look up. */
export interface BatchNeeds {
  tokens: { uid: string; type: string }[]
  contractIds: string[]
  locations: { countryCode: string; partyId: string; locationId: string }[]
}

/** The engine's contract (no ids). */
export const engineContract = (c: RatingContract): Contract => ({ homeMarket: c.homeMarket, tariff: c.tariff, packages: c.packages })

const toRatingContract = (c: CustomerContract, day: string): RatingContract => ({
  contractId: c.contractId,
  customerId: c.customerId,
  homeMarket: c.homeMarket,
  tariff: c.tariff,
  startDate: c.startDate,
  packages: hasPackage(c, 'IONITY_PLUS', day) ? ['IONITY_PLUS'] : [],
})

const tokenKey = (uid: string, type: string) => `${uid.toUpperCase()}|${type}`
const locationKey = (countryCode: string, partyId: string, locationId: string) =>
  `${countryCode.toUpperCase()}/${partyId.toUpperCase()}/${locationId.toUpperCase()}`

export const ratingLookups = (deps: {
  tokens: Pick<TokensService, 'findToken' | 'findTokens'>
  customers: Pick<CustomersService, 'findContract' | 'findContracts' | 'contractsOfCustomer'>
  locations: Pick<LocationsService, 'findLocation' | 'findLocations'>
  tariffs: Pick<TariffsService, 'findTariffValidAt' | 'findTariffsValidAt'>
}): RatingLookups => {
  const contractById = async (contractId: string, day: string): Promise<RatingContract | undefined> => {
    const found = await deps.customers.findContract(contractId)
    return found ? toRatingContract(found, day) : undefined
  }
  const base: RatingLookups = {
    contractById,
    contractOfToken: async (uid, type, day) => {
      const token = await deps.tokens.findToken(uid, type)
      return token ? contractById(token.contractId, day) : undefined
    },
    token: (uid, type) => deps.tokens.findToken(uid, type),
    location: (countryCode, partyId, locationId) =>
      deps.locations.findLocation({ country_code: countryCode, party_id: partyId, location_id: locationId }),
    contractOfCustomer: async (customerId, day) => {
      // The contract that may charge today; a customer holds one contract in practice.
      const usable = (await deps.customers.contractsOfCustomer(customerId)).find((c) => contractStanding(c, day) === 'ok')
      return usable ? toRatingContract(usable, day) : undefined
    },
    tariffAt: (countryCode, partyId, tariffId, at) => deps.tariffs.findTariffValidAt(countryCode, partyId, tariffId, at),
    forBatch: async (needs) => {
      const [tokens, locations] = await Promise.all([
        deps.tokens.findTokens(needs.tokens),
        deps.locations.findLocations(
          needs.locations.map((l) => ({ country_code: l.countryCode, party_id: l.partyId, location_id: l.locationId })),
        ),
      ])
      const contractIds = [...new Set([...needs.contractIds, ...tokens.flatMap((t) => (t ? [t.contractId] : []))])]
      const contracts = await deps.customers.findContracts(contractIds)
      // What was asked is answered from these maps (null: asked, and not there); the rest as usual.
      const tokenOf = new Map(needs.tokens.map((k, i) => [tokenKey(k.uid, k.type), tokens[i] ?? null]))
      const contractOf = new Map<string, CustomerContract | null>(contractIds.map((id) => [id, null]))
      for (const c of contracts) contractOf.set(c.contractId, c)
      const locationOf = new Map(needs.locations.map((k, i) => [locationKey(k.countryCode, k.partyId, k.locationId), locations[i] ?? null]))
      const token = async (uid: string, type: string) => {
        const held = tokenOf.get(tokenKey(uid, type))
        return held === undefined ? deps.tokens.findToken(uid, type) : (held ?? undefined)
      }
      const batchContractById = async (contractId: string, day: string) => {
        const held = contractOf.get(contractId)
        if (held === undefined) return contractById(contractId, day)
        return held ? toRatingContract(held, day) : undefined
      }
      return {
        ...base,
        contractById: batchContractById,
        contractOfToken: async (uid, type, day) => {
          const t = await token(uid, type)
          return t ? batchContractById(t.contractId, day) : undefined
        },
        token,
        location: async (countryCode, partyId, locationId) => {
          const held = locationOf.get(locationKey(countryCode, partyId, locationId))
          return held === undefined ? base.location(countryCode, partyId, locationId) : (held ?? undefined)
        },
      }
    },
  }
  return base
}
