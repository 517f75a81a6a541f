// BMW Charging price list for customers with a Slovenian contract ("Cenik za Slovenijo"),
// transcribed from test/fixtures/seeds/002_741668e1361fd510.txt. All prices incl. VAT (DDV).
// Rows follow the list's order; the comment on each row is the list's country name.
// The list names no EnBW deal, so a Slovenian contract pays the German row at EnBW too.
import type { MarketCatalog, TimeWindow } from './catalog.types.js'

const w0800to2100: TimeWindow = { from: '08:00', to: '21:00' }
const w0700to2300: TimeWindow = { from: '07:00', to: '23:00' }

export const siCatalog20240101: MarketCatalog = {
  homeMarket: 'SI',
  // The list carries no date; its new-vehicle offer runs to 31. 12. 2024, so it is taken as the 2024 list.
  validFrom: '2024-01-01T00:00:00Z',
  source: 'seeds/002_741668e1361fd510.txt',
  tariffs: {
    ACTIVE: {
      monthlyBaseFee: '4.99',
      replacementCardFee: '7.32',
      minimumTermMonths: 1,
      newVehicleBaseFee: { monthlyBaseFee: '0.00', months: 12 },
    },
    FLEX: { monthlyBaseFee: '0.00', replacementCardFee: '7.32', minimumTermMonths: 1 },
  },
  newVehicleBenefits: {
    deliveredFrom: '2021-01-19',
    registeredBefore: '2024-12-31',
    activeBaseFeeFreeMonths: 12,
    ionityPlusFreeMonths: 12,
    ionityPlusFor: 'BMW iX1, BMW iX3, BMW iX, BMW i4, BMW i5, BMW i7',
  },
  ionityPlus: { kind: 'DISCOUNT_PER_KWH', monthlyBaseFee: '7.49', discountPerKwh: '0.15', waivesSessionFee: true },
  countries: {
    // Domača nadomestila (Slovenija)
    SI: {
      currency: 'EUR',
      ac: { perKwh: '0.30', blocking: { afterMinutes: 240, perMinute: '0.05', window: w0800to2100 }, sessionFee: '0.59' },
      dc: { perKwh: '0.50', blocking: { afterMinutes: 60, perMinute: '0.20' }, sessionFee: '0.59' },
    },
    // Avstrija
    AT: {
      currency: 'EUR',
      ac: { perKwh: '0.35', blocking: { afterMinutes: 150, perMinute: '0.10', window: w0800to2100 }, sessionFee: '0.59' },
      dc: { perKwh: '0.65', blocking: { afterMinutes: 90, perMinute: '0.10' }, sessionFee: '0.59' },
    },
    // Belgija
    BE: {
      currency: 'EUR',
      ac: { perKwh: '0.42', blocking: { afterMinutes: 300, perMinute: '0.05', window: w0800to2100 }, sessionFee: '0.59' },
      dc: { perKwh: '0.49', blocking: { afterMinutes: 90, perMinute: '0.10' }, sessionFee: '0.59' },
    },
    // Češka republika
    CZ: {
      currency: 'CZK',
      ac: { perKwh: '7.50', blocking: { afterMinutes: 180, perMinute: '2.00', window: w0800to2100 }, sessionFee: '14.99' },
      dc: { perKwh: '10.50', blocking: { afterMinutes: 60, perMinute: '20.00' }, sessionFee: '14.99' },
    },
    // Danska
    DK: {
      currency: 'DKK',
      ac: { perKwh: '3.49', blocking: { afterMinutes: 240, perMinute: '0.35', window: w0800to2100 }, sessionFee: '4.49' },
      dc: { perKwh: '3.99', blocking: { afterMinutes: 90, perMinute: '0.75' }, sessionFee: '4.49' },
    },
    // Estonija
    EE: {
      currency: 'EUR',
      ac: { perKwh: '0.30', blocking: { afterMinutes: 240, perMinute: '0.05', window: w0800to2100 }, sessionFee: '0.59' },
      dc: { perKwh: '0.55', blocking: { afterMinutes: 60, perMinute: '0.10' }, sessionFee: '0.59' },
    },
    // Finska
    FI: {
      currency: 'EUR',
      ac: { perKwh: '0.30', sessionFee: '0.59' },
      dc: { perKwh: '0.40', blocking: { afterMinutes: 90, perMinute: '0.20' }, sessionFee: '0.59' },
    },
    // Francija
    FR: {
      currency: 'EUR',
      ac: { perKwh: '0.35', blocking: { afterMinutes: 180, perMinute: '0.08', window: w0700to2300 }, sessionFee: '0.59' },
      dc: { perKwh: '0.55', blocking: { afterMinutes: 90, perMinute: '0.10' }, sessionFee: '0.59' },
    },
    // Grčija
    GR: {
      currency: 'EUR',
      ac: { perKwh: '0.27', sessionFee: '0.59' },
      dc: { perKwh: '0.35', sessionFee: '0.59' },
    },
    // Irska
    IE: {
      currency: 'EUR',
      ac: { perKwh: '0.39', blocking: { afterMinutes: 240, perMinute: '0.10', window: w0800to2100 }, sessionFee: '0.59' },
      dc: { perKwh: '0.49', blocking: { afterMinutes: 60, perMinute: '0.10' }, sessionFee: '0.59' },
    },
    // Italija
    IT: {
      currency: 'EUR',
      ac: { perKwh: '0.47', blocking: { afterMinutes: 180, perMinute: '0.10', window: w0700to2300 }, sessionFee: '0.59' },
      dc: { perKwh: '0.69', blocking: { afterMinutes: 90, perMinute: '0.20' }, sessionFee: '0.59' },
    },
    // Latvija
    LV: {
      currency: 'EUR',
      ac: { perKwh: '0.30', blocking: { afterMinutes: 240, perMinute: '0.05', window: w0800to2100 }, sessionFee: '0.59' },
      dc: { perKwh: '0.30', blocking: { afterMinutes: 60, perMinute: '0.10' }, sessionFee: '0.59' },
    },
    // Litva
    LT: {
      currency: 'EUR',
      ac: { perKwh: '0.25', blocking: { afterMinutes: 240, perMinute: '0.05', window: w0800to2100 }, sessionFee: '0.59' },
      dc: { perKwh: '0.35', blocking: { afterMinutes: 90, perMinute: '0.10' }, sessionFee: '0.59' },
    },
    // Luksemburg
    LU: {
      currency: 'EUR',
      ac: { perKwh: '0.42', blocking: { afterMinutes: 240, perMinute: '0.05', window: w0800to2100 }, sessionFee: '0.59' },
      dc: { perKwh: '0.55', blocking: { afterMinutes: 90, perMinute: '0.10' }, sessionFee: '0.59' },
    },
    // Madžarska
    HU: {
      currency: 'HUF',
      ac: { perKwh: '115.00', blocking: { afterMinutes: 240, perMinute: '35.00', window: w0800to2100 }, sessionFee: '229.00' },
      dc: { perKwh: '149.00', blocking: { afterMinutes: 60, perMinute: '85.00' }, sessionFee: '229.00' },
    },
    // Nemčija
    DE: {
      currency: 'EUR',
      ac: { perKwh: '0.36', blocking: { afterMinutes: 180, perMinute: '0.06', window: w0800to2100 }, sessionFee: '0.59' },
      dc: { perKwh: '0.55', blocking: { afterMinutes: 90, perMinute: '0.20' }, sessionFee: '0.59' },
    },
    // Nizozemska
    NL: {
      currency: 'EUR',
      ac: { perKwh: '0.39', sessionFee: '0.59' },
      dc: { perKwh: '0.60', blocking: { afterMinutes: 90, perMinute: '0.10' }, sessionFee: '0.59' },
    },
    // Norveška (Mer: operator's price, see passThroughOperators)
    NO: {
      currency: 'NOK',
      ac: { perKwh: '3.99', sessionFee: '6.99' },
      dc: { perKwh: '3.99', blocking: { afterMinutes: 90, perMinute: '1.00' }, sessionFee: '6.99' },
    },
    // Poljska (AC blocking fee without a time window, as printed)
    PL: {
      currency: 'PLN',
      ac: { perKwh: '1.07', blocking: { afterMinutes: 180, perMinute: '0.40' }, sessionFee: '2.59' },
      dc: { perKwh: '1.80', blocking: { afterMinutes: 60, perMinute: '0.50' }, sessionFee: '2.59' },
    },
    // Portugalska (per started minute; DC "do 90 min" / "od 91 min")
    PT: {
      currency: 'EUR',
      ac: { perMinute: [{ fromMinute: 0, perMinute: '0.08' }], sessionFee: '0.59' },
      dc: {
        perMinute: [
          { fromMinute: 0, perMinute: '0.49' },
          { fromMinute: 90, perMinute: '0.59' },
        ],
        sessionFee: '0.59',
      },
    },
    // Slovaška
    SK: {
      currency: 'EUR',
      ac: { perKwh: '0.30', blocking: { afterMinutes: 240, perMinute: '0.05', window: w0800to2100 }, sessionFee: '0.59' },
      dc: { perKwh: '0.48', blocking: { afterMinutes: 90, perMinute: '0.10' }, sessionFee: '0.59' },
    },
    // Španija
    ES: {
      currency: 'EUR',
      ac: { perKwh: '0.30', blocking: { afterMinutes: 240, perMinute: '0.05', window: w0800to2100 }, sessionFee: '0.59' },
      dc: { perKwh: '0.43', blocking: { afterMinutes: 90, perMinute: '0.10' }, sessionFee: '0.59' },
    },
    // Švedska
    SE: {
      currency: 'SEK',
      ac: { perKwh: '4.09', blocking: { afterMinutes: 240, perMinute: '0.45', window: w0800to2100 }, sessionFee: '6.99' },
      dc: { perKwh: '5.69', blocking: { afterMinutes: 90, perMinute: '1.20' }, sessionFee: '6.99' },
    },
    // Švica
    CH: {
      currency: 'CHF',
      ac: { perKwh: '0.50', blocking: { afterMinutes: 240, perMinute: '0.06', window: w0800to2100 }, sessionFee: '0.59' },
      dc: { perKwh: '0.65', blocking: { afterMinutes: 90, perMinute: '0.10' }, sessionFee: '0.59' },
    },
  },
  operatorDeals: [],
  // "Bolgarija / Hrvaška / Romunija / Velika Britanija": the operator's price
  passThroughCountries: ['BG', 'GB', 'HR', 'RO'],
  passThroughOperators: [
    // IONITY's own price where the country's row prints the IONITY clause ("Cene pri operaterju IONITY ..."):
    // Slovenia and every row abroad except Greece (Grčija), whose row has none, so IONITY in Greece
    // gets the Greek fixed price (issue 15 item 9; pinned by catalog-seeds.test.ts).
    {
      operatorId: 'ionity',
      countries: [
        'SI',
        'AT',
        'BE',
        'CZ',
        'DK',
        'EE',
        'FI',
        'FR',
        'IE',
        'IT',
        'LV',
        'LT',
        'LU',
        'HU',
        'DE',
        'NL',
        'NO',
        'PL',
        'PT',
        'SK',
        'ES',
        'SE',
        'CH',
      ],
    },
    { operatorId: 'mer', countries: ['NO'] },
  ],
}
