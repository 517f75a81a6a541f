// The public entry of the catalog: the BMW Charging price lists (DE, SI, EE) as versioned data, the
// contract terms they print (base fees, cards, minimum terms, new-vehicle benefits, IONITY Plus), the
// operator deals and the operator registry seed. Pure data and one lookup; rating, billing and the
// portal read it only through this file.
export { defaultCatalog, catalogVersionAt } from './catalog.js'
export { operatorRegistrySeed } from './operators.seed.js'
export type {
  BlockingFee,
  Catalog,
  CountryCode,
  CountryPrices,
  FlexDiscount,
  HomeMarket,
  IonityPlusDiscount,
  IonityPlusHpcPrice,
  MarketCatalog,
  MinuteTier,
  NewVehicleBenefits,
  OperatorDeal,
  OperatorEntry,
  OperatorParty,
  OperatorRegistry,
  PassThroughOperator,
  PriceRow,
  TariffName,
  TariffTerms,
  TimeWindow,
} from './catalog.types.js'
