// Shapes of the BMW Charging price catalog. Amounts are decimal strings exactly as printed in the
// customer's price lists (comma turned into a dot); rating and billing turn them into Decimals.

export type HomeMarket = 'DE' | 'SI' | 'EE'
export type TariffName = 'ACTIVE' | 'FLEX'
/** ISO 3166-1 alpha-2 code of a charging country. */
export type CountryCode = string

/** Local-time window `[from, to)` as `HH:MM`; a window with `from > to` wraps over midnight. */
export interface TimeWindow {
  readonly from: string
  readonly to: string
}

/** "after N minutes + X/min", optionally only inside a local-time window. */
export interface BlockingFee {
  readonly perMinute: string
  readonly afterMinutes: number
  readonly window?: TimeWindow
}

/** Per-minute price from minute `fromMinute` (0-based) until the next tier starts. */
export interface MinuteTier {
  readonly fromMinute: number
  readonly perMinute: string
}

/** The price of one power class (AC or DC) in one charging country. */
export interface PriceRow {
  readonly perKwh?: string
  readonly perMinute?: readonly MinuteTier[]
  readonly sessionFee?: string
  readonly blocking?: BlockingFee
}

export interface CountryPrices {
  readonly currency: string
  readonly ac: PriceRow
  readonly dc: PriceRow
}

/** Fixed prices at named operators in one country: EnBW mobility+ (DE list), partner networks (EE list). */
export interface OperatorDeal {
  /** `operator_deal` for a deal such as EnBW mobility+, `partner_network` for the Estonian partners. */
  readonly kind: 'operator_deal' | 'partner_network'
  readonly country: CountryCode
  /** Ids from the operator registry. */
  readonly operatorIds: readonly string[]
  /** The operators as the list names them, for the support text. */
  readonly label: string
  readonly prices: CountryPrices
}

/** An operator whose own price is passed through, in every country (`'*'`) or in the listed ones. */
export interface PassThroughOperator {
  readonly operatorId: string
  readonly countries: '*' | readonly CountryCode[]
}

export interface TariffTerms {
  readonly monthlyBaseFee: string
  readonly replacementCardFee: string
  readonly minimumTermMonths: number
  /** New-vehicle benefit on the base fee, if the tariff has one. */
  readonly newVehicleBaseFee?: { readonly monthlyBaseFee: string; readonly months: number }
}

export interface NewVehicleBenefits {
  /** Vehicle handed over on or after this date (ISO date), when the list says so. */
  readonly deliveredFrom?: string
  /** Contract registered before this date (ISO date, exclusive as printed: "vor dem"). */
  readonly registeredBefore: string
  readonly activeBaseFeeFreeMonths: number
  readonly ionityPlusFreeMonths: number
  /** Which vehicles get IONITY Plus free, in the list's words. */
  readonly ionityPlusFor: string
}

/** IONITY Plus as sold with a DE or SI contract. */
export interface IonityPlusDiscount {
  readonly kind: 'DISCOUNT_PER_KWH'
  readonly monthlyBaseFee: string
  readonly discountPerKwh: string
  readonly waivesSessionFee: true
}

/** IONITY Plus as sold with an EE contract. */
export interface IonityPlusHpcPrice {
  readonly kind: 'HPC_PRICE_PER_KWH'
  readonly monthlyBaseFee: string
  readonly hpcPerKwh: string
  readonly currency: string
}

/** Estonian Active: a share of the operator's ("Flex") price in the listed countries. */
export interface FlexDiscount {
  /** What the customer pays of the operator's total, e.g. "0.70" for 30% off. */
  readonly customerShare: string
  readonly countries: readonly CountryCode[]
}

/** One home market's price list, valid from `validFrom` until the next version of that market. */
export interface MarketCatalog {
  readonly homeMarket: HomeMarket
  /** ISO 8601 UTC instant; a CDR is rated with the version valid at its start. */
  readonly validFrom: string
  /** The seed document this version was transcribed from. */
  readonly source: string
  readonly tariffs: Readonly<Record<TariffName, TariffTerms>>
  readonly newVehicleBenefits: NewVehicleBenefits
  readonly ionityPlus: IonityPlusDiscount | IonityPlusHpcPrice
  /** Active-tariff fixed prices per charging country (alpha-2). */
  readonly countries: Readonly<Record<CountryCode, CountryPrices>>
  readonly operatorDeals: readonly OperatorDeal[]
  readonly passThroughCountries: readonly CountryCode[]
  readonly passThroughOperators: readonly PassThroughOperator[]
  readonly flexDiscount?: FlexDiscount
}

export type Catalog = readonly MarketCatalog[]

/** An OCPI party that belongs to an operator; `countryCode: '*'` means the party id in any country. */
export interface OperatorParty {
  readonly countryCode: string
  readonly partyId: string
}

/** One operator the price lists name (the registry is data, editable by the operators of the service). */
export interface OperatorEntry {
  /** Stable id used by the catalog (`'ionity'`, `'enbw'`, …). */
  readonly id: string
  /** Display name for support texts. */
  readonly name: string
  readonly parties: readonly OperatorParty[]
  /** `Location.operator.name` values that identify the operator, compared case-insensitively. */
  readonly names: readonly string[]
}

export type OperatorRegistry = readonly OperatorEntry[]
