// Facts about one CDR that every rule needs, derived once: catalog version, operator, charging
// country, AC/DC/HPC, local time zone and the number of started minutes.
import type { Decimal } from './decimal.js'
import type { MarketCatalog, OperatorEntry, OperatorRegistry } from '../../catalog/index.js'
import { timeZoneOfCountry } from './countries.js'
import { matchOperator } from './match-operator.js'
import { startedMinutes } from './minutes.js'
import type { Contract, RatingCdr, RatingLocation } from './rating.types.js'

/** HPC starts at 150 kW (rule 5). */
export const HPC_MIN_POWER_W = 150_000

export interface RatingContext {
  readonly contract: Contract
  readonly cdr: RatingCdr
  readonly version: MarketCatalog
  readonly operator?: OperatorEntry
  /** Alpha-2 charging country, undefined when the country table does not know the CDR's code. */
  readonly country?: string
  readonly powerClass: 'AC' | 'DC'
  readonly isHpc: boolean
  readonly zone: string
  readonly minutes: number
  /** What the operator charged incl. VAT (excl. VAT only decides "free"), undefined if not stated. */
  readonly operatorTotalInclVat?: Decimal
}

export const buildContext = (
  contract: Contract,
  cdr: RatingCdr,
  location: RatingLocation | undefined,
  version: MarketCatalog,
  operators: OperatorRegistry,
): RatingContext => {
  const match = matchOperator(operators, {
    cpoCountryCode: cdr.cpoCountryCode,
    cpoPartyId: cdr.cpoPartyId,
    operatorName: location?.operatorName,
  })
  const powerClass = cdr.powerType === 'DC' ? 'DC' : 'AC'
  const maxPower = location?.connectorMaxPowerW
  return {
    contract,
    cdr,
    version,
    operator: match?.operator,
    country: cdr.country,
    powerClass,
    isHpc: powerClass === 'DC' && maxPower !== undefined && maxPower >= HPC_MIN_POWER_W,
    // Without a Location (or a country zone) the windows are read in UTC: the CDR carries no zone.
    zone: location?.timeZone ?? (cdr.country ? timeZoneOfCountry(cdr.country) : undefined) ?? 'UTC',
    minutes: startedMinutes(cdr.startMs, cdr.endMs),
    operatorTotalInclVat: cdr.totalCost.inclVat,
  }
}
