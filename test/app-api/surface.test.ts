import { SignJWT } from 'jose'
import t from 'tap'
import { customer } from '../../scripts/replay/objects.js'
import { startTestApp } from '../helpers/build-app.js'

const SECRET = 'app-secret-app-secret-app-secret-0123'

t.test('app API authentication, errors and rate limit', async (t) => {
  const emsp = await startTestApp(t, { env: { APP_JWT_SECRET: SECRET, APP_RATE_LIMIT_PER_MINUTE: '5' } })
  const call = (path: string, token?: string) =>
    emsp.ocpi('GET', `/app/v1${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} })

  const [cust1, cust2] = [
    (await emsp.admin('POST', '/customers', customer(1, 'DE'))).body.id,
    (await emsp.admin('POST', '/customers', customer(2, 'DE'))).body.id,
  ]
  const minted = await emsp.admin('POST', '/app-tokens', { customer_id: cust1 })
  t.equal(minted.status, 201)
  const me = await call('/me', minted.body.token)
  t.same(me.body, { customer_id: cust1 })

  const missing = await call('/me')
  t.equal(missing.status, 401)
  t.match(missing.body, { code: 'unauthorized', message: String, request_id: String })

  const key = new TextEncoder().encode(SECRET)
  const expired = await new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(cust1)
    .setIssuer('bmw-charging-emsp')
    .setAudience('my-bmw-app')
    .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
    .sign(key)
  t.equal((await call('/me', expired)).status, 401, 'expired token refused')
  const forged = await new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(cust1)
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode('another-secret-another-secret-0123456'))
  t.equal((await call('/me', forged)).status, 401, 'token signed with another key refused')

  const other = (await emsp.admin('POST', '/app-tokens', { customer_id: cust2 })).body.token
  const statuses: number[] = []
  for (let i = 0; i < 6; i++) statuses.push((await call('/me', minted.body.token)).status)
  t.equal(statuses.filter((s) => s === 429).length, 2, 'the 6th and 7th request of cust-1 in a minute are limited (limit 5)')
  t.equal((await call('/me', other)).status, 200, 'another customer has its own budget')
  const limited = await call('/me', minted.body.token)
  t.match(limited.body, { code: 'rate_limited' })

  t.equal((await call('/nothing-here', other)).body.code, 'not_found')
})

t.test('without a key configured the app API is closed', async (t) => {
  const emsp = await startTestApp(t)
  const res = await emsp.ocpi('GET', '/app/v1/me', { headers: { authorization: 'Bearer x.y.z' } })
  t.equal(res.status, 403)
  t.equal(res.body.code, 'app_auth_disabled')
  t.equal((await emsp.admin('POST', '/app-tokens', { customer_id: 'c' })).status, 409)
})
