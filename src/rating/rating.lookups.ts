// What rating reads from other modules, through their public services: contracts (customers),
// our tokens, the CPOs' Locations and tariffs. Wired in index.ts; the services take the port.
import type { Contract as CustomerContract, CustomersService } from '../customers/index.js'
import { contractStanding, hasPackage } from '../customers/index.js'
import type { LocationsService } from '../ocpi/locations/index.js'
import type { Location } from '../ocpi/locations/locations.schema.js'
import type { TariffsService } from '../ocpi/tariffs/index.js'
import type { Tariff } from '../ocpi/tariffs/tariffs.schema.js'
import type { TokensService } from '../ocpi/tokens/index.js'
import { DomainError } from '../platform/errors.js'
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
  /** When we issued a token of ours; undefined if it is not ours. */
  tokenIssuedAt(uid: string, type: string): Promise<Date | undefined>
  /** The CPO's Location as we hold it (with EVSEs and connectors), if any. */
  location(countryCode: string, partyId: string, locationId: string): Promise<Location | undefined>
  /** The customer's contract that charges today (active, else cancelled but not ended), if any. */
  contractOfCustomer(customerId: string, day: string): Promise<RatingContract | undefined>
  /** The version of an operator tariff valid at `at`, if stored. */
  tariffAt(countryCode: string, partyId: string, tariffId: string, at: Date): Promise<Tariff | undefined>
}

export const utcDayOf = (at: Date) => at.toISOString().slice(0, 10)

/** The engine's contract (no ids). */
export const engineContract = (c: RatingContract): Contract => ({ homeMarket: c.homeMarket, tariff: c.tariff, packages: c.packages })

const absentOn404 = async <T>(read: () => Promise<T>): Promise<T | undefined> => {
  try {
    return await read()
  } catch (err) {
    if (err instanceof DomainError && err.httpStatus === 404) return undefined
    throw err
  }
}

const toRatingContract = (c: CustomerContract, day: string): RatingContract => ({
  contractId: c.contractId,
  customerId: c.customerId,
  homeMarket: c.homeMarket,
  tariff: c.tariff,
  startDate: c.startDate,
  packages: hasPackage(c, 'IONITY_PLUS', day) ? ['IONITY_PLUS'] : [],
})

export const ratingLookups = (deps: {
  tokens: Pick<TokensService, 'getToken'>
  customers: Pick<CustomersService, 'getContract' | 'getCustomer'>
  locations: Pick<LocationsService, 'findLocation'>
  tariffs: Pick<TariffsService, 'findTariffValidAt'>
}): RatingLookups => {
  const contractById = async (contractId: string, day: string): Promise<RatingContract | undefined> => {
    const found = await absentOn404(() => deps.customers.getContract(contractId))
    return found ? toRatingContract(found.contract, day) : undefined
  }
  return {
    contractById,
    contractOfToken: async (uid, type, day) => {
      const token = await absentOn404(() => deps.tokens.getToken(uid, type))
      return token ? contractById(token.contractId, day) : undefined
    },
    tokenIssuedAt: async (uid, type) => (await absentOn404(() => deps.tokens.getToken(uid, type)))?.createdAt,
    location: (countryCode, partyId, locationId) =>
      deps.locations.findLocation({ country_code: countryCode, party_id: partyId, location_id: locationId }),
    contractOfCustomer: async (customerId, day) => {
      const found = await absentOn404(() => deps.customers.getCustomer(customerId))
      // The contract that may charge today; a customer holds one contract in practice.
      const usable = found?.contracts.find((c) => contractStanding(c.contract, day) === 'ok')
      return usable ? toRatingContract(usable.contract, day) : undefined
    },
    tariffAt: (countryCode, partyId, tariffId, at) => deps.tariffs.findTariffValidAt(countryCode, partyId, tariffId, at),
  }
}
