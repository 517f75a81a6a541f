// BMW Charging price list for customers with an Estonian contract ("Tariifid Eestis"),
// transcribed from test/fixtures/seeds/004_42fb4a564069e942.txt. All prices incl. VAT (käibemaks).
// A different model from DE/SI: Active pays 70% of the operator's ("Flex") price except at IONITY,
// and fixed prices at a preferred-partner network per country ("Eelistatud partnerite võrgustik").
import type { CountryPrices, MarketCatalog, OperatorDeal } from './catalog.types.js'

const partner = (country: string, label: string, operatorIds: string[], prices: CountryPrices): OperatorDeal => ({
  kind: 'partner_network',
  country,
  label,
  operatorIds,
  prices,
})

export const eeCatalog20250101: MarketCatalog = {
  homeMarket: 'EE',
  // The list carries no date; its new-vehicle offer runs to 31 December 2025, so it is taken as the 2025 list.
  validFrom: '2025-01-01T00:00:00Z',
  source: 'seeds/004_42fb4a564069e942.txt',
  tariffs: {
    ACTIVE: {
      monthlyBaseFee: '4.99',
      replacementCardFee: '7.44',
      minimumTermMonths: 1,
      newVehicleBaseFee: { monthlyBaseFee: '0.00', months: 12 },
    },
    FLEX: { monthlyBaseFee: '0.00', replacementCardFee: '7.44', minimumTermMonths: 1 },
  },
  newVehicleBenefits: {
    registeredBefore: '2025-12-31',
    activeBaseFeeFreeMonths: 12,
    ionityPlusFreeMonths: 12,
    ionityPlusFor: 'fully electric BMW (täiselektrilise BMW kliendid)',
  },
  ionityPlus: { kind: 'HPC_PRICE_PER_KWH', monthlyBaseFee: '5.99', hpcPerKwh: '0.42', currency: 'EUR' },
  // Estonian Active has no fixed prices outside the partner network.
  countries: {},
  flexDiscount: {
    customerShare: '0.70',
    // Home country plus every "Täiendav 30% allahindlus" row of "Laadimine välismaal", in the list's order.
    countries: [
      'EE',
      'AT',
      'BE',
      'ES',
      'NL',
      'IE',
      'IT',
      'GR',
      'LV',
      'LT',
      'LU',
      'NO',
      'PL',
      'PT',
      'FR',
      'SE',
      'DE',
      'SK',
      'SI',
      'FI',
      'CH',
      'DK',
      'CZ',
      'HU',
    ],
  },
  operatorDeals: [
    // Austria
    partner('AT', 'da emobil, EVN, Mer Austria', ['da-emobil', 'evn', 'mer'], {
      currency: 'EUR',
      ac: { perKwh: '0.39', blocking: { afterMinutes: 120, perMinute: '0.10' } },
      dc: { perKwh: '0.49', blocking: { afterMinutes: 30, perMinute: '0.10' } },
    }),
    // Belgia
    partner('BE', 'Allego, Electra', ['allego', 'electra'], {
      currency: 'EUR',
      ac: { perKwh: '0.39' },
      dc: { perKwh: '0.49', blocking: { afterMinutes: 45, perMinute: '0.25' } },
    }),
    // Hispaania
    partner('ES', 'Endesa, Iberdrola bp pulse, Zunder, Moeve', ['endesa', 'iberdrola-bp-pulse', 'zunder', 'moeve'], {
      currency: 'EUR',
      ac: { perKwh: '0.29' },
      dc: { perKwh: '0.45' },
    }),
    // Holland
    partner('NL', 'InCharge, bp pulse', ['incharge', 'bp-pulse'], {
      currency: 'EUR',
      ac: { perKwh: '0.39' },
      dc: { perKwh: '0.49', blocking: { afterMinutes: 45, perMinute: '0.25' } },
    }),
    // Itaalia
    partner('IT', 'EWIVA, Enel', ['ewiva', 'enel'], {
      currency: 'EUR',
      ac: { perKwh: '0.49', blocking: { afterMinutes: 60, perMinute: '0.10', window: { from: '07:00', to: '23:00' } } },
      dc: { perKwh: '0.59', blocking: { afterMinutes: 45, perMinute: '0.20' } },
    }),
    // Luksemburg
    partner('LU', 'Aral pulse, Chargy', ['aral-pulse', 'chargy'], {
      currency: 'EUR',
      ac: { perKwh: '0.39' },
      dc: { perKwh: '0.49' },
    }),
    // Norra
    partner('NO', 'Recharge, Eviny, Mer Norway', ['recharge', 'eviny', 'mer'], {
      currency: 'NOK',
      ac: { perKwh: '3.50' },
      dc: { perKwh: '4.50' },
    }),
    // Poola
    partner('PL', 'Power Dot', ['power-dot'], {
      currency: 'PLN',
      ac: { perKwh: '1.50' },
      dc: { perKwh: '2' },
    }),
    // Portugal
    partner('PT', 'EDP Comercial, Iberdrola bp pulse, Powerdot', ['edp-comercial', 'iberdrola-bp-pulse', 'power-dot'], {
      currency: 'EUR',
      ac: { perKwh: '0.29', blocking: { afterMinutes: 180, perMinute: '0.05' } },
      dc: { perKwh: '0.39', blocking: { afterMinutes: 60, perMinute: '0.10' } },
    }),
    // Prantsusmaa
    partner('FR', 'Allego, Power Dot, Electra', ['allego', 'power-dot', 'electra'], {
      currency: 'EUR',
      ac: { perKwh: '0.35', blocking: { afterMinutes: 30, perMinute: '0.02' } },
      dc: { perKwh: '0.45', blocking: { afterMinutes: 45, perMinute: '0.20' } },
    }),
    // Rootsi
    partner('SE', 'Recharge, Eviny, Mer Sweden, E.ON Drive Infrastructure', ['recharge', 'eviny', 'mer', 'eon-drive'], {
      currency: 'SEK',
      ac: { perKwh: '3.49', blocking: { afterMinutes: 240, perMinute: '1', window: { from: '09:00', to: '22:00' } } },
      dc: { perKwh: '4.50', blocking: { afterMinutes: 45, perMinute: '3.50' } },
    }),
    // Saksamaa
    partner('DE', 'Aral pulse, Allego, E.ON Drive Infrastructure, Mer Germany', ['aral-pulse', 'allego', 'eon-drive', 'mer'], {
      currency: 'EUR',
      ac: { perKwh: '0.35', blocking: { afterMinutes: 240, perMinute: '0.06', window: { from: '08:00', to: '20:00' } } },
      dc: { perKwh: '0.49', blocking: { afterMinutes: 45, perMinute: '0.10' } },
    }),
    // Soome
    partner('FI', 'Recharge', ['recharge'], {
      currency: 'EUR',
      ac: { perKwh: '0.19' },
      dc: { perKwh: '0.25' },
    }),
    // Šveits
    partner('CH', 'GOFAST, Groupe E / MOVE', ['gofast', 'groupe-e-move'], {
      currency: 'CHF',
      ac: { perKwh: '0.39', blocking: { afterMinutes: 60, perMinute: '0.10' } },
      dc: { perKwh: '0.49', blocking: { afterMinutes: 60, perMinute: '0.20' } },
    }),
    // Taani
    partner('DK', 'E.ON Drive Infrastructure, Clever', ['eon-drive', 'clever'], {
      currency: 'DKK',
      ac: { perKwh: '3.99', blocking: { afterMinutes: 240, perMinute: '1', window: { from: '09:00', to: '22:00' } } },
      dc: { perKwh: '3.99', blocking: { afterMinutes: 60, perMinute: '2' } },
    }),
    // Tšehhi
    partner('CZ', 'Prazska energetika, E.ON Drive Infrastructure', ['prazska-energetika', 'eon-drive'], {
      currency: 'CZK',
      ac: { perKwh: '9', blocking: { afterMinutes: 180, perMinute: '2' } },
      dc: { perKwh: '11.9', blocking: { afterMinutes: 60, perMinute: '2' } },
    }),
  ],
  // Bulgaria, Horvaatia, Rumeenia, Suurbritannia: "Paindlikud hinnad" without the 30% discount
  passThroughCountries: ['BG', 'HR', 'RO', 'GB'],
  // "(välja arvatud IONITY)": no discount at IONITY in every row that prints it, i.e. every 30% row;
  // the rows without it (BG, HR, RO, GB) pass the operator's price through anyway.
  passThroughOperators: [
    {
      operatorId: 'ionity',
      countries: [
        'EE',
        'AT',
        'BE',
        'ES',
        'NL',
        'IE',
        'IT',
        'GR',
        'LV',
        'LT',
        'LU',
        'NO',
        'PL',
        'PT',
        'FR',
        'SE',
        'DE',
        'SK',
        'SI',
        'FI',
        'CH',
        'DK',
        'CZ',
        'HU',
      ],
    },
  ],
}
