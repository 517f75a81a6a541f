// Logging in to the customer area with OpenID Connect (authorization code + PKCE) against a real
// provider started here (oidc-provider 8, the last major supporting Node 20), in Chromium: a new
// identity registers and is logged in; it logs in again straight away; a customer the app already
// knows (subject = customer id, as in the app's tokens) is linked without registering; a callback
// that does not match the login under way is refused.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import Provider from 'oidc-provider'
import t from 'tap'
import { browserMissing, launchBrowser, newContext } from '../helpers/browser.js'
import { portalClient } from './client.js'
import { startPortalWorld } from './world.js'

t.test('OpenID Connect login against a real provider', { skip: browserMissing() }, async (t) => {
  // The provider's address first (the app is configured with it), the provider itself once the app's callback URL is known.
  let provider: Provider | undefined
  const idp = createServer((req, res) => (provider ? provider.callback()(req, res) : res.writeHead(503).end()))
  await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise((resolve) => idp.close(resolve)))
  const issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`

  const w = await startPortalWorld(t, {
    env: { PORTAL_AUTH: 'oidc', APP_JWT_ISSUER: issuer, APP_JWKS_URL: `${issuer}/jwks`, PORTAL_OIDC_CLIENT_ID: 'bmw-portal' },
  })
  await w.createVoucher('OIDC5', { credit: '5.00' })
  const known = await w.operatorCustomer('Karl Known', 'karl@example.com', 'WBA11AA010CH00003')
  const people: Record<string, { email: string; name: string }> = {
    'new-driver': { email: 'nina@example.com', name: 'Nina Neu' },
    [known.id]: { email: 'karl@example.com', name: 'Karl Known' },
  }
  provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'bmw-portal',
        token_endpoint_auth_method: 'none',
        redirect_uris: [`${w.emsp.url}/portal/auth/callback`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    findAccount: async (_ctx, sub) => ({
      accountId: sub,
      claims: async () => ({ sub, email: people[sub]?.email, email_verified: true, name: people[sub]?.name }),
    }),
    pkce: { methods: ['S256'], required: () => true },
    cookies: { keys: ['oidc-test-cookie-key'] },
    ttl: { Grant: 3600, Session: 3600, Interaction: 600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
  })

  const browser = await launchBrowser(t)
  const context = await newContext(browser, { baseURL: w.emsp.url })
  const page = await context.newPage()
  const signInAtProvider = async (login: string) => {
    await page.locator('input[name=login]').fill(login)
    await page.locator('input[name=password]').fill('any')
    await page.locator('button[type=submit]').click()
    await page.locator('button[type=submit]', { hasText: /continue/i }).click()
  }

  // A new identity: the provider, then the registration (e-mail and name from the ID token), then logged in
  await page.goto('/portal/login')
  await page.getByRole('link', { name: 'Log in with BMW ID' }).click()
  t.match(page.url(), new RegExp(`^${issuer}/`), 'at the provider')
  await signInAtProvider('new-driver')
  await page.waitForURL('**/portal/register')
  t.equal(await page.inputValue('#f-email'), 'nina@example.com', 'the e-mail from the ID token')
  t.equal(await page.inputValue('#f-name'), 'Nina Neu')
  t.equal(await page.locator('#f-password').count(), 0, 'no password: the provider holds the login')
  await page.fill('#f-street', 'Tartu mnt 1')
  await page.fill('#f-postalCode', '10115')
  await page.fill('#f-city', 'Tallinn')
  await page.selectOption('#f-country', 'EE')
  await page.getByRole('button', { name: 'Continue' }).click()
  await page.getByLabel('Estonia', { exact: true }).check()
  await page.getByRole('button', { name: 'Continue' }).click()
  t.match(
    await page.locator('main').textContent(),
    /30% off the operator's price/,
    "the Estonian list: Active is a discount on the operator's price",
  )
  await page.getByLabel('Flex', { exact: true }).check()
  await page.getByRole('button', { name: 'Continue' }).click()
  await page.fill('#f-vin', 'WBA11AA010CH00004')
  await page.fill('#f-model', 'i5')
  await page.fill('#f-deliveryDate', '2026-09-01')
  await page.getByRole('button', { name: 'Continue' }).click()
  await page.fill('#f-voucher', 'OIDC5')
  await page.check('#f-terms')
  await page.getByRole('button', { name: 'Register', exact: true }).click()
  await page.waitForURL('**/portal/contracts?done=registered')
  const contracts = await page.locator('main').textContent()
  const contractId = /EE-BMW-C\d{8}-\d/.exec(contracts ?? '')?.[0]
  t.ok(contractId, 'an Estonian contract, logged in at once')
  t.match(contracts, /OIDC5/, 'the voucher redeemed')
  const customerId = (await w.emsp.admin('GET', `/contracts/${contractId}`)).body.customer_id as string
  t.match((await w.emsp.admin('GET', `/customers/${customerId}`)).body, { name: 'Nina Neu', email: 'nina@example.com' })

  // Log out and in again: the identity is linked, no registration
  await page.getByRole('button', { name: 'Log out' }).click()
  await page.getByRole('link', { name: 'Log in with BMW ID' }).click()
  if (page.url().startsWith(issuer)) await signInAtProvider('new-driver')
  await page.waitForURL('**/portal/contracts')
  t.match(await page.locator('main').textContent(), new RegExp(contractId!), 'the same customer')

  // A customer the app knows (the app's tokens carry the customer id as subject): linked, no registration
  const other = await (await browser.newContext({ baseURL: w.emsp.url })).newPage()
  await other.goto('/portal/login')
  await other.getByRole('link', { name: 'Log in with BMW ID' }).click()
  await other.locator('input[name=login]').fill(known.id)
  await other.locator('input[name=password]').fill('any')
  await other.locator('button[type=submit]').click()
  await other.locator('button[type=submit]', { hasText: /continue/i }).click()
  await other.waitForURL('**/portal/contracts')
  t.match(await other.locator('main').textContent(), new RegExp(known.contractId), 'the operator-created customer sees their contract')

  // A callback that is not the answer to this visitor's login is refused
  const c = portalClient(w.emsp.url)
  const noLogin = await c.get('/portal/auth/callback?code=abc&state=xyz')
  t.equal(noLogin.status, 400)
  t.match(noLogin.text, /did not work/)
  const start = await c.get('/portal/auth/oidc')
  const redirect = new URL(start.location!)
  t.equal(redirect.searchParams.get('code_challenge_method'), 'S256', 'PKCE')
  t.ok(redirect.searchParams.get('state') && redirect.searchParams.get('nonce'), 'state and nonce')
  const forged = await c.get(
    `/portal/auth/callback?code=abc&state=not-${redirect.searchParams.get('state')}&iss=${encodeURIComponent(issuer)}`,
  )
  t.equal(forged.status, 400, 'a state that is not ours')
  t.equal((await c.get('/portal/contracts')).status, 303, 'and nobody is logged in')
  const loginPage = (await c.get('/portal/login')).text
  t.notMatch(loginPage, /type="password"/, 'no password login with OpenID Connect')
  t.match(loginPage, /href="\/portal\/auth\/oidc\?next=/)
})
