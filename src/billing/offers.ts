// What a customer sees before signing up (the registration in the customer area): the home market's
// price list in force and the new-vehicle benefits a registration today would get. Same rules as
// the invoices (benefits.ts), so what is promised is what is billed. Added for the portal (issue 18).
import type { CustomerQueries, HomeMarket } from '../customers/index.js'
import type { Clock } from '../platform/clock.js'
import type { Catalog, MarketCatalog, TariffName } from '../catalog/index.js'
import { baseFeeBenefitApplies, ionityPlusBenefitApplies } from './benefits.js'
import { catalogOn } from './invoices.service.js'

export interface OfferVehicle {
  vin: string
  model: string
  deliveryDate: string
  isNew: boolean
}

export interface NewVehicleOffer {
  /** Months without the Active base fee (0: none). */
  baseFeeFreeMonths: number
  /** Months of IONITY Plus without its fee, booked at registration (0: none). */
  ionityPlusFreeMonths: number
}

export const createOffers = (deps: { clock: Clock; catalog: Catalog; queries: Pick<CustomerQueries, 'firstContractIdOfVehicle'> }) => {
  const today = () => deps.clock.now().toISOString().slice(0, 10)

  /** The price list of a home market in force today. */
  const priceList = (market: HomeMarket): MarketCatalog => catalogOn(deps.catalog, market)(today())

  /** The benefits a contract registered today for this vehicle and tariff gets (none for a VIN that had a contract). */
  const newVehicleOffer = async (market: HomeMarket, tariff: TariffName, vehicle: OfferVehicle): Promise<NewVehicleOffer> => {
    const list = priceList(market)
    const input = {
      benefits: list.newVehicleBenefits,
      vehicle,
      registeredOn: today(),
      firstContractOfVehicle: !(await deps.queries.firstContractIdOfVehicle(vehicle.vin)),
    }
    const terms = list.tariffs[tariff]
    return {
      baseFeeFreeMonths: terms.newVehicleBaseFee && baseFeeBenefitApplies(input) ? terms.newVehicleBaseFee.months : 0,
      ionityPlusFreeMonths: ionityPlusBenefitApplies(input) ? list.newVehicleBenefits.ionityPlusFreeMonths : 0,
    }
  }

  return { priceList, newVehicleOffer }
}

export type Offers = ReturnType<typeof createOffers>
