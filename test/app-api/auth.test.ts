import { SignJWT } from 'jose'
import t from 'tap'
import { customer } from '../../scripts/replay/objects.js'
import { startTestApp } from '../helpers/build-app.js'

const SECRET = 'app-secret-app-secret-app-secret-0123'
const key = new TextEncoder().encode(SECRET)

/** A token signed with the right key, shaped by `shape` (which claims it carries). */
const sign = (shape: (jwt: SignJWT) => SignJWT) =>
  shape(new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuer('bmw-charging-emsp').setAudience('my-bmw-app')).sign(key)

t.test('app JWTs: without exp, without a customer as subject, or of a deleted customer are refused', async (t) => {
  const emsp = await startTestApp(t, { env: { APP_JWT_SECRET: SECRET } })
  const me = (token: string) => emsp.ocpi('GET', '/app/v1/me', { headers: { authorization: `Bearer ${token}` } })
  const created = (await emsp.admin('POST', '/customers', customer(1, 'DE'))).body
  const id = created.id as string

  const good = await sign((j) => j.setSubject(id).setExpirationTime('1h'))
  t.same((await me(good)).body, { customer_id: id }, 'a customer with a token that expires: accepted')

  const noExp = await me(await sign((j) => j.setSubject(id)))
  t.equal(noExp.status, 401, 'no exp: 401')
  t.match(noExp.body, { code: 'unauthorized', message: /"exp"/ }, 'the message names the missing claim')

  const noSub = await me(await sign((j) => j.setExpirationTime('1h')))
  t.equal(noSub.status, 401, 'no sub: 401')
  t.match(noSub.body.message, /"sub"/)

  for (const subject of ['00000000-0000-4000-8000-000000000000', 'cust-1', '']) {
    const res = await me(await sign((j) => j.setSubject(subject).setExpirationTime('1h')))
    t.equal(res.status, 401, `subject ${subject}: 401`)
    t.match(res.body, { code: 'unauthorized', message: /not a customer/ }, `subject ${subject}: says why`)
  }

  const minted = (await emsp.admin('POST', '/app-tokens', { customer_id: id })).body.token
  t.equal((await me(minted)).status, 200, 'minted tokens carry exp and work')
  await emsp.database.db.execute((await import('drizzle-orm')).sql`update customers set deleted_at = now() where id = ${id}`)
  t.equal((await me(minted)).status, 401, 'a deleted customer is no customer')
})
