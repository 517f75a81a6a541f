// The customer area over real HTTP without a browser: one customer never reaches another's data,
// forms refuse a missing or foreign CSRF token, sessions rotate at login and end at logout and
// password reset, wrong passwords lock the login, the login is rate-limited, bad input is refused
// next to its field, the language follows the browser and the switch.
import t from 'tap'
import { fieldError, portalClient, type PortalClient } from './client.js'
import { startPortalWorld, type PortalWorld } from './world.js'

const PASSWORD = 'a-long-password-1'

/** An operator's customer sets a first password through "Forgot your password?" and logs in. */
const logIn = async (w: PortalWorld, email: string, password = PASSWORD): Promise<PortalClient> => {
  const c = portalClient(w.emsp.url)
  await c.get('/portal/password/forgot')
  w.clock.advance(1000) // the outbox is read newest first
  t.equal((await c.post('/portal/password/forgot', { email })).status, 200)
  const { link } = await w.lastMail(email)
  const reset = await c.get(link.replace(w.emsp.url, ''))
  t.equal(reset.status, 200, 'the reset page')
  t.equal(
    (await c.post('/portal/password/reset', { token: new URL(link).searchParams.get('token')!, password, password2: password })).status,
    303,
  )
  await c.get('/portal/login')
  const login = await c.post('/portal/login', { email, password })
  t.equal(login.location, '/portal/contracts', `${email} logged in`)
  return c
}

t.test('the customer area over HTTP', async (t) => {
  const w = await startPortalWorld(t, { env: { PORTAL_LOGIN_RATE_LIMIT_PER_MINUTE: '15' } })
  const alice = await w.operatorCustomer('Alice Adler', 'alice@example.com', 'WBA11AA010CH00001')
  const bob = await w.operatorCustomer('Bob Berger', 'bob@example.com', 'WBA11AA010CH00002')
  const bobCard = (await w.emsp.admin('POST', `/contracts/${bob.contractId}/cards`, {})).body.uid as string
  await w.postCdr({
    id: 'CDR-BOB-1',
    contractId: bob.contractId,
    uid: bob.appUid,
    currency: 'EUR',
    kwh: 12,
    start: '2026-11-05T10:00:00Z',
    end: '2026-11-05T11:00:00Z',
  })
  const bobInvoice = (
    await w.emsp.admin('POST', '/invoice-runs', { month: '2026-11', contract_id: bob.contractId, as_of: '2026-12-01T06:00:00Z' })
  ).body.invoice.id as string
  const a = await logIn(w, 'alice@example.com')

  await t.test("a customer never sees or changes another customer's data", async (t) => {
    const bobBefore = (await w.emsp.admin('GET', `/contracts/${bob.contractId}`)).body
    t.equal((await a.get(`/portal/invoices/${bobInvoice}/pdf`)).status, 404, "Bob's invoice PDF")
    t.notMatch((await a.get('/portal/invoices')).text, /DE-2026-/, "Alice has no invoices; Bob's are not listed")
    t.notMatch((await a.get('/portal/contracts')).text, new RegExp(bob.contractId), "Bob's contract is not listed")
    t.equal((await a.get(`/portal/contracts/${bob.contractId}/vehicle`)).status, 404)
    t.equal(
      (await a.post(`/portal/contracts/${bob.contractId}/vehicle`, { vin: 'WBA11AA010CH77777', model: 'i5', deliveryDate: '2026-01-01' }))
        .status,
      404,
    )
    t.equal((await a.post(`/portal/contracts/${bob.contractId}/cancel`, {})).status, 404)
    t.equal((await a.post(`/portal/contracts/${bob.contractId}/ionity-plus`, {})).status, 404)
    t.equal((await a.post(`/portal/contracts/${bob.contractId}/vouchers/new`, { code: 'X', action: 'redeem' })).status, 404)
    t.equal(
      (await a.post(`/portal/contracts/${alice.contractId}/cards/${bobCard}/replace`, {})).status,
      404,
      "Bob's card through Alice's contract",
    )
    t.equal((await a.post(`/portal/contracts/${bob.contractId}/cards/${bobCard}/replace`, {})).status, 404)
    const bobAfter = (await w.emsp.admin('GET', `/contracts/${bob.contractId}`)).body
    t.same(bobAfter, bobBefore, "Bob's contract, vehicle, packages and cards are unchanged")
    t.equal((await w.emsp.admin('GET', `/invoices?customer_id=${bob.id}`)).body.invoices.length, 1)
    const anonymous = portalClient(w.emsp.url)
    const pdf = await anonymous.get(`/portal/invoices/${bobInvoice}/pdf`)
    t.equal(pdf.status, 303)
    t.equal(
      pdf.location,
      `/portal/login?next=${encodeURIComponent(`/portal/invoices/${bobInvoice}/pdf`)}`,
      'without a login: to the login page',
    )
  })

  await t.test('the map: stations near a place, available or out of order, app start, the price', async (t) => {
    const patch = async (uid: string, body: Record<string, unknown>) => {
      w.clock.advance(1000)
      const res = await w.cpo.call('PATCH', `${w.cpo.endpointOfEmsp('locations')}/BE/BEC/LOC1/${uid}`, {
        ...body,
        last_updated: w.clock.now().toISOString(),
      })
      t.equal(res.body?.status_code, 1000)
    }
    await patch('3256', { capabilities: ['RESERVABLE', 'REMOTE_START_STOP_CAPABLE'] })
    await patch('3257', { status: 'OUTOFORDER' })
    const list = (await a.get('/portal/map?place=51.0476%2C3.7299&radius=1')).text
    t.match(list, /1 charging station within 1 km of “51\.0476,3\.7299”/)
    t.match(list, /Gent Zuid[\s\S]*F\.Rooseveltlaan 3A, Gent · 0 m away · Operator: BeCharged/)
    t.match(list, /1 of 2 charge points available · <strong>1 out of order<\/strong>/)
    t.match(list, /Can be started with the &quot;Start&quot; button/)
    const href = /href="(\/portal\/map\/BE\/BEC\/LOC1\?[^"]+)"/.exec(list)![1]!.replaceAll('&amp;', '&')
    const station = (await a.get(href)).text
    t.match(
      station,
      /BE\*BEC\*E041503001[\s\S]*Available[\s\S]*Can be started[\s\S]*Type 2, 10\.6\s?kW[\s\S]*BMW Charging fixed price:[\s\S]*€0\.42 per kWh[\s\S]*Session fee €0\.59[\s\S]*€0\.05 per minute after 300 minutes, between 08:00 and 21:00/,
      "the German list's Belgian price for Alice's Active contract",
    )
    t.match(station, /BE\*BEC\*E041503002[\s\S]*Out of order[\s\S]*Cannot be started with the app here/)
    t.equal((await a.get('/portal/map/BE/BEC/NOPE?lat=51.0476&lon=3.7299')).status, 404)
    t.equal((await a.get('/portal/map/BE/BEC/LOC1?lat=x&lon=3')).status, 404)
  })

  await t.test("every form needs this session's CSRF token and a same-origin request", async (t) => {
    const form = { name: 'Alice Adler', street: 'Hackgasse 1', postalCode: '80331', city: 'München', country: 'DE', phone: '' }
    t.equal((await a.post('/portal/account/address', { ...form, _csrf: '' })).status, 403, 'no token')
    const other = portalClient(w.emsp.url)
    await other.get('/portal/login')
    t.equal((await a.post('/portal/account/address', { ...form, _csrf: other.csrf })).status, 403, "another visitor's token")
    t.equal((await a.post('/portal/account/address', form, { origin: 'https://evil.example' })).status, 403, 'a cross-site form')
    t.notMatch((await w.emsp.admin('GET', `/customers/${alice.id}`)).body.name ?? '', /Hackgasse/)
    t.equal((await a.get('/portal/account/address')).status, 200)
    const ok = await a.post('/portal/account/address', form, { origin: w.emsp.url })
    t.equal(ok.location, '/portal/account?done=addressSaved', 'the same form with its token and origin')
    t.match((await a.get('/portal/account')).text, /Hackgasse 1/)
  })

  await t.test('bad input is refused with a message next to the field', async (t) => {
    const anon = portalClient(w.emsp.url, { acceptLanguage: 'en' })
    await anon.get('/portal/register')
    const refused = await anon.post('/portal/register', {
      name: '',
      email: 'not-an-address',
      password: 'short',
      password2: 'other',
      street: 'x',
      postalCode: '!',
      city: 'y',
      country: 'XX',
      phone: 'call me',
    })
    t.equal(refused.status, 422)
    t.equal(fieldError(refused.text, 'name'), 'Please fill in this field.')
    t.match(fieldError(refused.text, 'email'), /valid e-mail address/)
    t.match(fieldError(refused.text, 'password'), /at least 10 characters/)
    t.match(fieldError(refused.text, 'postalCode'), /postal code/)
    t.equal(fieldError(refused.text, 'country'), 'Please choose one.')
    t.match(fieldError(refused.text, 'phone'), /phone number/)
    t.match(
      refused.text,
      /id="f-email"[^>]*aria-describedby="f-email-error"[^>]*aria-invalid="true"/,
      'tied to the field for screen readers',
    )
    t.match(refused.text, /<a href="#f-email">/, 'and listed at the top with a link to the field')
    t.match(refused.text, /value="not-an-address"/, 'what was typed stays')
    t.notMatch(refused.text, /value="short"/, 'passwords are never sent back')
    const taken = await anon.post('/portal/register', {
      name: 'A',
      email: 'ALICE@example.com',
      password: PASSWORD,
      password2: PASSWORD,
      street: 'x 1',
      postalCode: '12345',
      city: 'y',
      country: 'DE',
    })
    t.match(fieldError(taken.text, 'email'), /already an account/, 'an address with a login (any case) cannot register again')
    await w.operatorCustomer('Carl Counter', 'carl@example.com', 'WBA11AA010CH00009')
    const operators = await anon.post('/portal/register', {
      name: 'C',
      email: 'carl@example.com',
      password: PASSWORD,
      password2: PASSWORD,
      street: 'x 1',
      postalCode: '12345',
      city: 'y',
      country: 'DE',
    })
    t.match(
      fieldError(operators.text, 'email'),
      /already an account/,
      'a customer an operator created sets a password instead of registering a second time',
    )

    await a.get('/portal/account/payment')
    const iban = await a.post('/portal/account/payment', {
      method: 'SEPA_DIRECT_DEBIT',
      iban: 'DE89 3704 0044 0532 0130 01',
      accountHolder: 'Alice Adler',
    })
    t.match(fieldError(iban.text, 'iban'), /not valid/, 'a wrong check digit')
    t.match(fieldError(iban.text, 'mandate'), /authorise/, 'no mandate')
    const sepa = await a.post('/portal/account/payment', {
      method: 'SEPA_DIRECT_DEBIT',
      iban: 'de89 3704 0044 0532 0130 00',
      accountHolder: 'Alice Adler',
      mandate: 'yes',
    })
    t.equal(sepa.location, '/portal/account?done=paymentSaved')
    const account = (await a.get('/portal/account')).text
    t.match(account, /DE89 … 3000/, 'the IBAN masked')
    t.match(account, /BMWC-[0-9A-F]{8}-\d{12}/, 'a mandate reference')

    const place = await a.get('/portal/map?place=Atlantis')
    t.equal(place.status, 422)
    t.match(fieldError(place.text, 'place'), /no charging station there/)
    t.match((await a.get('/portal/map?place=gent')).text, /1 charging station within 5 km of “gent”/, 'a city we know (any case)')
  })

  await t.test('sessions: secure cookie, a new id at login, gone at logout and after a password reset', async (t) => {
    const c = portalClient(w.emsp.url)
    const first = await c.get('/portal/login')
    t.match(
      first.setCookies.find((s) => s.startsWith('__Host-portal=')),
      /; Path=\/; HttpOnly; Secure; SameSite=Lax$/,
    )
    const before = c.cookie('__Host-portal')
    const login = await c.post('/portal/login', { email: 'alice@example.com', password: PASSWORD })
    t.equal(login.status, 303)
    t.match(login.setCookies.at(-1), /^__Host-portal=[^;]+; Path=\/; HttpOnly; Secure; SameSite=Lax; Max-Age=28800$/)
    const after = c.cookie('__Host-portal')
    t.not(after, before, 'the session id changed at login (no fixation)')
    const stolen = portalClient(w.emsp.url)
    stolen.setCookie('__Host-portal', before!)
    t.equal((await stolen.get('/portal/contracts')).status, 303, 'the pre-login id is worth nothing')
    t.equal((await c.get('/portal/contracts')).status, 200)
    await c.post('/portal/logout', {})
    const copy = portalClient(w.emsp.url)
    copy.setCookie('__Host-portal', after!)
    t.equal((await copy.get('/portal/contracts')).status, 303, 'logged out: the old cookie is worth nothing')

    // A password reset logs the customer out everywhere.
    const d = await logIn(w, 'bob@example.com')
    t.equal((await d.get('/portal/contracts')).status, 200)
    await logIn(w, 'bob@example.com', 'another-long-password')
    t.equal((await d.get('/portal/contracts')).status, 303, 'the older session ended with the reset')
  })

  await t.test('password reset: one link, used once; the same answer for unknown addresses', async (t) => {
    const c = portalClient(w.emsp.url)
    await c.get('/portal/password/forgot')
    w.clock.advance(1000)
    const unknown = await c.post('/portal/password/forgot', { email: 'nobody@example.com' })
    const known = await c.post('/portal/password/forgot', { email: 'alice@example.com' })
    t.equal(
      unknown.text.replace('nobody@example.com', 'X'),
      known.text.replace('alice@example.com', 'X').replace(/name="_csrf" value="[^"]+"/, ''),
      'no way to tell whether an address has an account',
    )
    t.equal((await w.emsp.admin('GET', '/mail-outbox?recipient=nobody@example.com')).body.mails.length, 0)
    const token = new URL((await w.lastMail('alice@example.com')).link).searchParams.get('token')!
    await c.get(`/portal/password/reset?token=${token}`)
    t.equal((await c.post('/portal/password/reset', { token, password: PASSWORD, password2: PASSWORD })).status, 303)
    t.equal((await c.post('/portal/password/reset', { token, password: PASSWORD, password2: PASSWORD })).status, 410, 'a used link')
    t.equal((await c.get(`/portal/password/reset?token=${token}`)).status, 410)
  })

  await t.test('wrong passwords lock the login; a password reset unlocks it', async (t) => {
    const c = portalClient(w.emsp.url)
    await c.get('/portal/login')
    for (let i = 0; i < 4; i++) {
      const wrong = await c.post('/portal/login', { email: 'alice@example.com', password: `wrong-password-${i}` })
      t.equal(wrong.status, 401)
      t.equal(fieldError(wrong.text, 'password'), 'The e-mail address or the password is not correct.')
    }
    const fifth = await c.post('/portal/login', { email: 'alice@example.com', password: 'wrong-password-5' })
    t.equal(fifth.status, 429)
    t.match(fifth.text, /logging in is blocked until/)
    const right = await c.post('/portal/login', { email: 'alice@example.com', password: PASSWORD })
    t.equal(right.status, 429, 'locked: even the right password waits')
    w.clock.advance(16 * 60_000)
    t.equal((await c.post('/portal/login', { email: 'alice@example.com', password: PASSWORD })).status, 303, 'open again after 15 minutes')
  })

  await t.test('the language follows the browser and the switch', async (t) => {
    const c = portalClient(w.emsp.url, { acceptLanguage: 'sl-SI,sl;q=0.9,en;q=0.5' })
    t.match((await c.get('/portal/login')).text, /<html lang="sl">[\s\S]*Prijava v račun stranke/)
    const sw = await c.get(`/portal/language/et?back=${encodeURIComponent('/portal/login')}`)
    t.equal(sw.location, '/portal/login')
    t.match(sw.setCookies[0], /^portal_lang=et; Path=\/portal; Max-Age=31536000; HttpOnly; Secure; SameSite=Lax$/)
    t.match((await c.get('/portal/login')).text, /<html lang="et">[\s\S]*Kliendikontosse sisselogimine/)
    t.equal(
      (await c.get(`/portal/language/de?back=${encodeURIComponent('https://evil.example/')}`)).location,
      '/portal/',
      'never back to another site',
    )
    const next = await a.post('/portal/login', { email: 'alice@example.com', password: PASSWORD, next: 'https://evil.example/steal' })
    t.equal(next.location, '/portal/contracts', 'no open redirect after login')
  })

  await t.test('logging in is rate-limited per client address', async (t) => {
    const c = portalClient(w.emsp.url)
    await c.get('/portal/login')
    // 15 a minute per address (the earlier subtests used some of them): at most 16 more get through.
    let refused
    for (let i = 0; i < 20 && !refused; i++) {
      const res = await c.post('/portal/login', { email: `nobody${i}@example.com`, password: 'whatever-password' })
      if (res.status === 429) refused = res
      else t.equal(res.status, 401)
    }
    t.equal(refused?.status, 429, 'refused after the limit')
    t.match(refused?.text, /Too many attempts/)
  })
})
