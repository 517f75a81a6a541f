import t from 'tap'
import { ConfigError, loadConfig } from '../../src/config.js'

t.test('defaults: port 3000, embedded database, admin closed, our party DE/BMW', async (t) => {
  const c = loadConfig({})
  t.equal(c.port, 3000)
  t.equal(c.host, '0.0.0.0')
  t.equal(c.databaseUrl, undefined)
  t.equal(c.dataDir, './data')
  t.equal(c.adminToken, undefined)
  t.same(c.party, { countryCode: 'DE', partyId: 'BMW', name: 'BMW Charging', website: undefined })
  t.equal(c.publicUrl, undefined, 'derived from the bound port at run time')
})

t.test('PUBLIC_URL loses its trailing slash; empty values count as unset', async (t) => {
  t.equal(loadConfig({ PUBLIC_URL: 'https://emsp.example.com/' }).publicUrl, 'https://emsp.example.com')
  t.equal(loadConfig({ DATABASE_URL: '', PORT: '' }).port, 3000)
})

t.test('every bad variable is named in one error', async (t) => {
  const err = t.throws(() =>
    loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', ADMIN_TOKEN: 'short', PARTY_ID: 'bmw!' }),
  ) as ConfigError
  t.type(err, ConfigError)
  for (const name of ['PORT', 'DATABASE_URL', 'ADMIN_TOKEN', 'PARTY_ID']) t.match(err.message, name)
})

t.test('the invoice seller: BMW Charging defaults for development, overridable, checked', async (t) => {
  t.match(loadConfig({}).invoices, {
    seller: {
      brand: 'BMW Charging',
      name: 'Digital Charging Solutions GmbH',
      street: 'Rosenstraße 18-19',
      postalCode: '10178',
      city: 'Berlin',
      country: 'DE',
      vatId: 'DE000000000',
    },
    paymentTermDays: 14,
  })
  const c = loadConfig({
    SELLER_NAME: 'Charging d.o.o.',
    SELLER_VAT_ID: 'SI12345678',
    SELLER_IBAN: 'SI56 1910 0000 0123 438',
    INVOICE_PAYMENT_TERM_DAYS: '30',
  })
  t.match(c.invoices, { seller: { name: 'Charging d.o.o.', vatId: 'SI12345678', iban: 'SI56191000000123438' }, paymentTermDays: 30 })
  const err = t.throws(() =>
    loadConfig({ SELLER_VAT_ID: '123', SELLER_COUNTRY: 'Germany', INVOICE_PAYMENT_TERM_DAYS: '-1' }),
  ) as ConfigError
  for (const name of ['SELLER_VAT_ID', 'SELLER_COUNTRY', 'INVOICE_PAYMENT_TERM_DAYS']) t.match(err.message, name)
})
