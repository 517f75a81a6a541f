// Domain input and output of the rating engine (camelCase, Decimals). OCPI shapes are converted
// into these by ../rating.convert.ts.
import type { Decimal } from './decimal.js'
import type { Catalog, HomeMarket, OperatorRegistry, TariffName } from '../../catalog/index.js'

export type ContractPackage = 'IONITY_PLUS'
export type PowerType = 'AC_1_PHASE' | 'AC_2_PHASE' | 'AC_2_PHASE_SPLIT' | 'AC_3_PHASE' | 'DC'

export interface Contract {
  readonly homeMarket: HomeMarket
  readonly tariff: TariffName
  readonly packages: readonly ContractPackage[]
}

export interface Price {
  readonly exclVat: Decimal
  readonly inclVat?: Decimal
}

export interface RatingCdr {
  readonly id: string
  /** The CPO party that sent the CDR. */
  readonly cpoCountryCode: string
  readonly cpoPartyId: string
  /** Plug-in and unplug, epoch milliseconds (UTC). */
  readonly startMs: number
  readonly endMs: number
  readonly currency: string
  readonly totalCost: Price
  readonly totalFixedCost?: Price
  readonly totalEnergyKwh: Decimal
  /** `cdr_location.country` as ISO alpha-3, and its alpha-2 when the country table knows it. */
  readonly countryAlpha3: string
  readonly country?: string
  readonly powerType: PowerType
  readonly credit: boolean
  readonly creditReferenceId?: string
}

export interface RatingLocation {
  readonly timeZone: string
  readonly operatorName?: string
  /** Max power of the connector the CDR names, in W, when the Location describes it. */
  readonly connectorMaxPowerW?: number
}

export interface RateCdrInput {
  readonly contract: Contract
  readonly cdr: RatingCdr
  readonly location?: RatingLocation
  readonly catalog: Catalog
  readonly operators: OperatorRegistry
  /** For a credit CDR: the rating of the CDR it credits, to be reversed line by line. */
  readonly original?: RatedCdr
}

export type RatingRule =
  | 'free_station'
  | 'ionity_plus'
  | 'ionity_plus_hpc'
  | 'pass_through_flex'
  | 'pass_through_country'
  | 'pass_through_operator'
  | 'pass_through_unlisted_country'
  | 'operator_deal'
  | 'partner_network'
  | 'fixed_price'
  | 'flex_discount'

export type LineKind =
  | 'free_station'
  | 'operator_price'
  | 'operator_price_share'
  | 'energy'
  | 'time'
  | 'blocking_fee'
  | 'session_fee'
  | 'session_fee_waived'
  | 'ionity_plus_discount'
  | 'minimum_zero'

export interface RatingLine {
  readonly kind: LineKind
  readonly quantity: Decimal
  /** `kWh`, `min`, `session`, or a currency code when the quantity is an amount of money. */
  readonly unit: string
  readonly unitPrice: Decimal
  /** quantity × unitPrice rounded half-up to 2 decimals; a credit negates quantity and amount. */
  readonly amount: Decimal
  /** Explains the line in words a support agent can read to the customer. */
  readonly text: string
}

export interface RatedCdr {
  readonly ok: true
  readonly cdrId: string
  readonly currency: string
  /** The sum of the line amounts. */
  readonly total: Decimal
  /** The rule that priced the CDR; `credit:<rule>` for a credit CDR. */
  readonly rule: RatingRule | `credit:${RatingRule}`
  readonly lines: readonly RatingLine[]
  readonly catalogVersion: { readonly homeMarket: HomeMarket; readonly validFrom: string }
  readonly operatorId?: string
}

export type RatingFailureCode = 'no_catalog_version' | 'missing_incl_vat' | 'unknown_time_zone' | 'credit_original_mismatch'

export interface RatingFailure {
  readonly ok: false
  readonly code: RatingFailureCode
  readonly message: string
}

export type RatingResult = RatedCdr | RatingFailure
