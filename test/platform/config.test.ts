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
  const err = t.throws(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', ADMIN_TOKEN: 'short', PARTY_ID: 'bmw!' })) as ConfigError
  t.type(err, ConfigError)
  for (const name of ['PORT', 'DATABASE_URL', 'ADMIN_TOKEN', 'PARTY_ID']) t.match(err.message, name)
})
