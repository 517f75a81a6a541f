// The console's gate and its answers to hostile input: sessions, CSRF, open redirects, rate-limited
// sign-in, bad queries and bodies. Every answer is a page with a clear 4xx, never a 5xx.
import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { fixedClock } from '../../src/platform/clock.js'
import { ADMIN_TOKEN, startTestApp } from '../helpers/build-app.js'

const FORM = { 'content-type': 'application/x-www-form-urlencoded' }
const cookieOf = (res: { headers: Record<string, unknown> }, name: string) => {
  const all = [res.headers['set-cookie'] ?? []].flat() as string[]
  return all.find((c) => c.startsWith(`${name}=`))?.split(';')[0]
}

/** GET the sign-in form, then POST it; returns the answer and the session cookie (if any). */
const signIn = async (app: FastifyInstance, token = ADMIN_TOKEN, next = '/console/', remoteAddress = '127.0.0.1') => {
  const form = await app.inject({ method: 'GET', url: '/console/login' })
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!
  const res = await app.inject({
    method: 'POST',
    url: '/console/login',
    remoteAddress,
    headers: { ...FORM, cookie: cookieOf(form, 'emsp_console_login')! },
    payload: new URLSearchParams({ token, _csrf: csrf, next }).toString(),
  })
  return { res, session: cookieOf(res, 'emsp_console') }
}
const csrfOf = (body: string) => /name="_csrf" value="([^"]+)"/.exec(body)![1]!

t.test('console gate and hostile input', async (t) => {
  const clock = fixedClock('2026-11-20T10:00:00.000Z')
  const emsp = await startTestApp(t, { clock })
  const app = emsp.app
  const { res: signedIn, session } = await signIn(app)
  t.equal(signedIn.statusCode, 303)
  t.ok(session)
  const get = (url: string, cookie = session!) => app.inject({ method: 'GET', url, headers: { cookie } })
  const page = await get('/console/jobs')
  const csrf = csrfOf(page.body)

  t.test('without a session every page and form leads to the sign-in', async (t) => {
    for (const url of [
      '/console/',
      '/console/partners',
      '/console/cdrs?offset=5',
      '/console/disputes',
      '/console/jobs',
      '/console/invoices',
      '/console/charts',
      '/console/nothing',
    ]) {
      const res = await app.inject({ method: 'GET', url })
      t.equal(res.statusCode, 303, url)
      t.equal(res.headers.location, `/console/login?next=${encodeURIComponent(url)}`)
    }
    const post = await app.inject({ method: 'POST', url: '/console/jobs/1/retry', headers: FORM, payload: '_csrf=x' })
    t.equal(post.statusCode, 303)
    t.equal(post.headers.location, '/console/login?next=%2Fconsole%2F')
    t.equal((await get('/console/', 'emsp_console=forged-value')).statusCode, 303, 'a made-up cookie is no session')
  })

  t.test('sign-in refuses what it should', async (t) => {
    const wrong = await signIn(app, 'not-the-admin-token-at-all')
    t.equal(wrong.res.statusCode, 401)
    t.notOk(wrong.session)
    t.match(wrong.res.body, /That is not the admin token\./)
    const noCookie = await app.inject({ method: 'POST', url: '/console/login', headers: FORM, payload: `token=${ADMIN_TOKEN}&_csrf=abc` })
    t.equal(noCookie.statusCode, 403, 'a sign-in form that did not come from us (no CSRF cookie) is refused')
    t.notOk(cookieOf(noCookie, 'emsp_console'))
    for (const [next, where] of [
      ['//evil.example/x', '/console/'],
      ['https://evil.example/', '/console/'],
      ['/console/../admin', '/console/'],
      ['/console/%2e%2e/x', '/console/'],
      ['/console/jobs?kind=retrying', '/console/jobs?kind=retrying'],
      ['/\\evil.example', '/console/'],
    ]) {
      t.equal((await signIn(app, ADMIN_TOKEN, next, '127.0.0.2')).res.headers.location, where, `next=${next} → ${where}`)
    }
    const json = await app.inject({
      method: 'POST',
      url: '/console/login',
      remoteAddress: '127.0.0.3',
      headers: { 'content-type': 'application/json' },
      payload: '{"token":',
    })
    t.equal(json.statusCode, 400, 'broken JSON')
    const twice = await app.inject({
      method: 'POST',
      url: '/console/login',
      remoteAddress: '127.0.0.3',
      headers: FORM,
      payload: `token=a&token=b&_csrf=x`,
    })
    t.equal(twice.statusCode, 400, 'a repeated field')
    const huge = await app.inject({
      method: 'POST',
      url: '/console/login',
      remoteAddress: '127.0.0.3',
      headers: FORM,
      payload: `token=${'x'.repeat(20_000)}`,
    })
    t.equal(huge.statusCode, 413, 'a body above 16 KB')
    t.match(huge.headers['content-type'], /text\/html/)
  })

  t.test("forms need the session's CSRF token", async (t) => {
    const none = await app.inject({
      method: 'POST',
      url: '/console/jobs/1/retry',
      headers: { ...FORM, cookie: session! },
      payload: 'back=failed',
    })
    t.equal(none.statusCode, 403)
    t.match(none.body, /This form is stale or did not come from the console/)
    const other = (await signIn(app, ADMIN_TOKEN, '/console/', '127.0.0.4')).session!
    const otherCsrf = csrfOf((await get('/console/', other)).body)
    t.not(otherCsrf, csrf, 'each session has its own token')
    const foreign = await app.inject({
      method: 'POST',
      url: '/console/jobs/1/retry',
      headers: { ...FORM, cookie: session! },
      payload: `_csrf=${otherCsrf}`,
    })
    t.equal(foreign.statusCode, 403, "another session's token does not do")
    const logout = await app.inject({ method: 'POST', url: '/console/logout', headers: { ...FORM, cookie: session! }, payload: '' })
    t.equal(logout.statusCode, 403, 'signing out needs it too')
  })

  t.test('bad queries and ids are 4xx pages', async (t) => {
    const cases: [string, number][] = [
      ['/console/cdrs?offset=-1', 400],
      ['/console/cdrs?limit=0', 400],
      ['/console/cdrs?limit=100000', 400],
      ['/console/cdrs?limit=abc', 400],
      ['/console/cdrs?reason=%3Cscript%3E', 400],
      ['/console/cdrs?reason=', 200],
      ['/console/disputes?offset=1e400', 400],
      ['/console/jobs?kind=bogus', 400],
      ['/console/jobs?queue=%3Cscript%3Ealert(1)%3C%2Fscript%3E', 200],
      ['/console/jobs?retried=%27', 400],
      ['/console/charts?days=8', 400],
      ['/console/charts?days=7', 200],
      ['/console/%00', 400],
      ['/console/jobs?offset=%E0%A4%A', 400],
    ]
    for (const [url, status] of cases) {
      const res = await get(url)
      t.equal(res.statusCode, status, url)
      t.match(res.headers['content-type'], /^text\/html/)
      t.notMatch(res.body, /<script>/, `${url}: nothing given becomes markup`)
    }
    const post = (url: string, payload: string) => app.inject({ method: 'POST', url, headers: { ...FORM, cookie: session! }, payload })
    t.equal((await post('/console/jobs/abc/retry', `_csrf=${csrf}`)).statusCode, 400)
    t.equal((await post('/console/jobs/99999999/retry', `_csrf=${csrf}`)).statusCode, 404)
    t.equal((await post('/console/jobs/1/retry', `_csrf=${csrf}&back=elsewhere`)).statusCode, 400)
    const done = await app.jobs.enqueue(emsp.database.db, { queue: 'test.done', payload: {} })
    app.jobs.register('test.done', async () => {})
    await app.jobs.runDue({ queues: ['test.done'] })
    const finished = await post(`/console/jobs/${done}/retry`, `_csrf=${csrf}`)
    t.equal(finished.statusCode, 409, 'a finished job cannot be retried')
    t.match(finished.body, new RegExp(`Job ${done} is done: only failed jobs and jobs waiting for a retry can be retried\\.`))
    t.equal((await app.inject({ method: 'PUT', url: '/console/jobs', headers: { cookie: session! } })).statusCode, 404)
  })

  t.test('headers: no caching of pages, no framing, no scripts', async (t) => {
    const res = await get('/console/')
    t.equal(res.headers['cache-control'], 'no-store')
    t.equal(res.headers['x-frame-options'], 'DENY')
    t.match(res.headers['content-security-policy'], /default-src 'none'.*frame-ancestors 'none'/)
    const css = await app.inject({ method: 'GET', url: '/console/assets/console.css' })
    t.equal(css.statusCode, 200, 'the stylesheet is open (the sign-in page needs it)')
    t.equal(css.headers['cache-control'], 'public, max-age=3600')
  })

  t.test('a session ends after 8 hours', async (t) => {
    clock.advance(8 * 3_600_000 - 1000)
    t.equal((await get('/console/')).statusCode, 200)
    clock.advance(1000)
    t.equal((await get('/console/')).statusCode, 303)
  })
})

t.test('sign-in is rate-limited per address', async (t) => {
  const emsp = await startTestApp(t)
  const statuses: number[] = []
  for (let i = 0; i < 11; i++)
    statuses.push(
      (await emsp.app.inject({ method: 'POST', url: '/console/login', headers: FORM, payload: 'token=guess&_csrf=x' })).statusCode,
    )
  t.same(statuses.slice(0, 10), Array(10).fill(403), 'ten attempts are answered')
  t.equal(statuses[10], 429, 'the eleventh within a minute is refused')
  const limited = await emsp.app.inject({ method: 'POST', url: '/console/login', headers: FORM, payload: `token=${ADMIN_TOKEN}&_csrf=x` })
  t.equal(limited.statusCode, 429, 'even with the right token')
  t.match(limited.body, /Too many sign-in attempts; try again in \d+ s\./)
})

t.test('without ADMIN_TOKEN the console is closed', async (t) => {
  const emsp = await startTestApp(t, { env: { ADMIN_TOKEN: '' } })
  const form = await emsp.app.inject({ method: 'GET', url: '/console/login' })
  t.equal(form.statusCode, 403)
  t.match(form.body, /The console is closed: the service runs without ADMIN_TOKEN\./)
  const post = await emsp.app.inject({
    method: 'POST',
    url: '/console/login',
    headers: { ...FORM, cookie: cookieOf(form, 'emsp_console_login')! },
    payload: `token=&_csrf=${csrfOf(form.body)}`,
  })
  t.equal(post.statusCode, 403)
  t.notOk(cookieOf(post, 'emsp_console'))
})
