// BMW Charging price list for customers with a German contract ("Preisliste Deutschland"),
// transcribed from test/fixtures/seeds/003_609d48ac14725002.txt. All prices incl. VAT.
// Rows follow the list's order; the comment on each row is the list's country name.
import type { MarketCatalog, TimeWindow } from './catalog.types.js'

const w0800to2100: TimeWindow = { from: '08:00', to: '21:00' }
const w0700to2300: TimeWindow = { from: '07:00', to: '23:00' }

export const deCatalog20240101: MarketCatalog = {
  homeMarket: 'DE',
  // The list carries no date; its new-vehicle offer runs to 31.12.2024, so it is taken as the 2024 list.
  validFrom: '2024-01-01T00:00:00Z',
  source: 'seeds/003_609d48ac14725002.txt',
  tariffs: {
    ACTIVE: {
      monthlyBaseFee: '4.99',
      replacementCardFee: '7.50',
      minimumTermMonths: 1,
      newVehicleBaseFee: { monthlyBaseFee: '0.00', months: 12 },
    },
    FLEX: { monthlyBaseFee: '0.00', replacementCardFee: '7.50', minimumTermMonths: 1 },
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
    // Inland (Deutschland)
    DE: {
      currency: 'EUR',
      ac: { perKwh: '0.36', blocking: { afterMinutes: 180, perMinute: '0.06', window: w0800to2100 }, sessionFee: '0.59' },
      dc: { perKwh: '0.55', blocking: { afterMinutes: 90, perMinute: '0.20' }, sessionFee: '0.59' },
    },
    // Belgien
    BE: {
      currency: 'EUR',
      ac: { perKwh: '0.42', blocking: { afterMinutes: 300, perMinute: '0.05', window: w0800to2100 }, sessionFee: '0.59' },
      dc: { perKwh: '0.49', blocking: { afterMinutes: 90, perMinute: '0.10' }, sessionFee: '0.59' },
    },
    // Dänemark
    DK: {
      currency: 'DKK',
      ac: { perKwh: '3.49', blocking: { afterMinutes: 240, perMinute: '0.35', window: w0800to2100 }, sessionFee: '4.49' },
      dc: { perKwh: '3.99', blocking: { afterMinutes: 90, perMinute: '0.75' }, sessionFee: '4.49' },
    },
    // Estland
    EE: {
      currency: 'EUR',
      ac: { perKwh: '0.30', blocking: { afterMinutes: 240, perMinute: '0.05', window: w0800to2100 }, sessionFee: '0.59' },
      dc: { perKwh: '0.55', blocking: { afterMinutes: 60, perMinute: '0.10' }, sessionFee: '0.59' },
    },
    // Finnland
    FI: {
      currency: 'EUR',
      ac: { perKwh: '0.30', sessionFee: '0.59' },
      dc: { perKwh: '0.40', blocking: { afterMinutes: 90, perMinute: '0.20' }, sessionFee: '0.59' },
    },
    // Frankreich
    FR: {
      currency: 'EUR',
      ac: { perKwh: '0.35', blocking: { afterMinutes: 180, perMinute: '0.08', window: w0700to2300 }, sessionFee: '0.59' },
      dc: { perKwh: '0.55', blocking: { afterMinutes: 90, perMinute: '0.10' }, sessionFee: '0.59' },
    },
    // Griechenland
    GR: {
      currency: 'EUR',
      ac: { perKwh: '0.27', sessionFee: '0.59' },
      dc: { perKwh: '0.35', sessionFee: '0.59' },
    },
    // Irland
    IE: {
      currency: 'EUR',
      ac: { perKwh: '0.39', blocking: { afterMinutes: 240, perMinute: '0.10', window: w0800to2100 }, sessionFee: '0.59' },
      dc: { perKwh: '0.49', blocking: { afterMinutes: 60, perMinute: '0.10' }, sessionFee: '0.59' },
    },
    // Italien
    IT: {
      currency: 'EUR',
      ac: { perKwh: '0.47', blocking: { afterMinutes: 180, perMinute: '0.10', window: w0700to2300 }, sessionFee: '0.59' },
      dc: { perKwh: '0.69', blocking: { afterMinutes: 90, perMinute: '0.20' }, sessionFee: '0.59' },
    },
    // Lettland
    LV: {
      currency: 'EUR',
      ac: { perKwh: '0.30', blocking: { afterMinutes: 240, perMinute: '0.05', window: w0800to2100 }, sessionFee: '0.59' },
      dc: { perKwh: '0.30', blocking: { afterMinutes: 60, perMinute: '0.10' }, sessionFee: '0.59' },
    },
    // Litauen
    LT: {
      currency: 'EUR',
      ac: { perKwh: '0.25', blocking: { afterMinutes: 240, perMinute: '0.05', window: w0800to2100 }, sessionFee: '0.59' },
      dc: { perKwh: '0.35', blocking: { afterMinutes: 90, perMinute: '0.10' }, sessionFee: '0.59' },
    },
    // Luxemburg
    LU: {
      currency: 'EUR',
      ac: { perKwh: '0.42', blocking: { afterMinutes: 240, perMinute: '0.05', window: w0800to2100 }, sessionFee: '0.59' },
      dc: { perKwh: '0.55', blocking: { afterMinutes: 90, perMinute: '0.10' }, sessionFee: '0.59' },
    },
    // Niederlande
    NL: {
      currency: 'EUR',
      ac: { perKwh: '0.39', sessionFee: '0.59' },
      dc: { perKwh: '0.60', blocking: { afterMinutes: 90, perMinute: '0.10' }, sessionFee: '0.59' },
    },
    // Norwegen (Mer: operator's price, see passThroughOperators)
    NO: {
      currency: 'NOK',
      ac: { perKwh: '3.99', sessionFee: '6.99' },
      dc: { perKwh: '3.99', blocking: { afterMinutes: 90, perMinute: '1.00' }, sessionFee: '6.99' },
    },
    // Österreich
    AT: {
      currency: 'EUR',
      ac: { perKwh: '0.35', blocking: { afterMinutes: 150, perMinute: '0.10', window: w0800to2100 }, sessionFee: '0.59' },
      dc: { perKwh: '0.65', blocking: { afterMinutes: 90, perMinute: '0.10' }, sessionFee: '0.59' },
    },
    // Polen (AC blocking fee without a time window, as printed)
    PL: {
      currency: 'PLN',
      ac: { perKwh: '1.07', blocking: { afterMinutes: 180, perMinute: '0.40' }, sessionFee: '2.59' },
      dc: { perKwh: '1.80', blocking: { afterMinutes: 60, perMinute: '0.50' }, sessionFee: '2.59' },
    },
    // Portugal (per started minute; DC "bis 90 min" / "ab 91 min")
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
    // Schweden
    SE: {
      currency: 'SEK',
      ac: { perKwh: '4.09', blocking: { afterMinutes: 240, perMinute: '0.45', window: w0800to2100 }, sessionFee: '6.99' },
      dc: { perKwh: '5.69', blocking: { afterMinutes: 90, perMinute: '1.20' }, sessionFee: '6.99' },
    },
    // Schweiz
    CH: {
      currency: 'CHF',
      ac: { perKwh: '0.50', blocking: { afterMinutes: 240, perMinute: '0.06', window: w0800to2100 }, sessionFee: '0.59' },
      dc: { perKwh: '0.65', blocking: { afterMinutes: 90, perMinute: '0.10' }, sessionFee: '0.59' },
    },
    // Slowakei
    SK: {
      currency: 'EUR',
      ac: { perKwh: '0.30', blocking: { afterMinutes: 240, perMinute: '0.05', window: w0800to2100 }, sessionFee: '0.59' },
      dc: { perKwh: '0.48', blocking: { afterMinutes: 90, perMinute: '0.10' }, sessionFee: '0.59' },
    },
    // Slowenien
    SI: {
      currency: 'EUR',
      ac: { perKwh: '0.30', blocking: { afterMinutes: 240, perMinute: '0.05', window: w0800to2100 }, sessionFee: '0.59' },
      dc: { perKwh: '0.50', blocking: { afterMinutes: 60, perMinute: '0.20' }, sessionFee: '0.59' },
    },
    // Spanien
    ES: {
      currency: 'EUR',
      ac: { perKwh: '0.30', blocking: { afterMinutes: 240, perMinute: '0.05', window: w0800to2100 }, sessionFee: '0.59' },
      dc: { perKwh: '0.43', blocking: { afterMinutes: 90, perMinute: '0.10' }, sessionFee: '0.59' },
    },
    // Tschechien
    CZ: {
      currency: 'CZK',
      ac: { perKwh: '7.50', blocking: { afterMinutes: 180, perMinute: '2.00', window: w0800to2100 }, sessionFee: '14.99' },
      dc: { perKwh: '10.50', blocking: { afterMinutes: 60, perMinute: '20.00' }, sessionFee: '14.99' },
    },
    // Ungarn
    HU: {
      currency: 'HUF',
      ac: { perKwh: '115.00', blocking: { afterMinutes: 240, perMinute: '35.00', window: w0800to2100 }, sessionFee: '229.00' },
      dc: { perKwh: '149.00', blocking: { afterMinutes: 60, perMinute: '85.00' }, sessionFee: '229.00' },
    },
  },
  operatorDeals: [
    {
      // "EnBW mobility+" under "Ladekosten im Inland"; its blocking fees have no time window.
      kind: 'operator_deal',
      country: 'DE',
      operatorIds: ['enbw'],
      label: 'EnBW mobility+',
      prices: {
        currency: 'EUR',
        ac: { perKwh: '0.55', blocking: { afterMinutes: 120, perMinute: '0.06' }, sessionFee: '0.59' },
        dc: { perKwh: '0.75', blocking: { afterMinutes: 30, perMinute: '0.20' }, sessionFee: '0.59' },
      },
    },
  ],
  // "Bulgarien / Großbritannien / Kroatien / Rumänien": the operator's price
  passThroughCountries: ['BG', 'GB', 'HR', 'RO'],
  passThroughOperators: [
    // IONITY's own price where the country's row prints the IONITY clause ("Die Preise des Betreibers
    // IONITY ..."): Germany and every row abroad except Greece, whose row has none, so IONITY in
    // Greece gets the Greek fixed price (issue 15 item 9; pinned by catalog-seeds.test.ts).
    {
      operatorId: 'ionity',
      countries: [
        'DE',
        'BE',
        'DK',
        'EE',
        'FI',
        'FR',
        'IE',
        'IT',
        'LV',
        'LT',
        'LU',
        'NL',
        'NO',
        'AT',
        'PL',
        'PT',
        'SE',
        'CH',
        'SK',
        'SI',
        'ES',
        'CZ',
        'HU',
      ],
    },
    { operatorId: 'mer', countries: ['NO'] },
  ],
}
