// Registration and contracts over HTTP, in mid-2024 when the German list's new-vehicle benefits
// still apply: nothing exists before the e-mail link is used, the link works once, an iX bought new
// gets IONITY Plus booked for free; then IONITY Plus cancelled on its contract date, a replacement
// card, the vehicle edited (another VIN ends the benefits), a voucher of another market refused, and
// the contract deleted on its next contract date.
import { count } from 'drizzle-orm'
import t from 'tap'
import { contracts, customers } from '../../src/db/schema/index.js'
import { fieldError, portalClient } from './client.js'
import { startPortalWorld } from './world.js'

const PASSWORD = 'a-long-password-1'

t.test('registration and contract actions', async (t) => {
  const w = await startPortalWorld(t, { start: '2024-06-03T09:00:00.000Z' })
  await w.createVoucher('NURSLO', { credit: '5.00', markets: ['SI'] })
  const c = portalClient(w.emsp.url, { acceptLanguage: 'en-GB' })
  const rows = async () => (await w.emsp.database.db.select({ n: count() }).from(customers))[0]!.n
  const before = await rows()

  await c.get('/portal/register')
  t.equal(
    (
      await c.post('/portal/register', {
        name: 'Ida Ionity',
        email: 'ida@example.com',
        password: PASSWORD,
        password2: PASSWORD,
        street: 'Allee 5',
        postalCode: '10115',
        city: 'Berlin',
        country: 'DE',
      })
    ).location,
    '/portal/register/market',
  )
  t.equal((await c.get('/portal/register/vehicle')).location, '/portal/register/market', 'steps cannot be skipped')
  await c.post('/portal/register/market', { market: 'DE' })
  t.equal(fieldError((await c.post('/portal/register/tariff', {})).text, 'tariff'), 'Please choose one.')
  await c.post('/portal/register/tariff', { tariff: 'ACTIVE' })
  const vehicle = await c.post('/portal/register/vehicle', {
    vin: 'WBA11AA010CH12345X',
    model: 'iX',
    deliveryDate: '2024-02-30',
    isNew: 'yes',
  })
  t.match(fieldError(vehicle.text, 'vin'), /17 letters and digits/)
  t.equal(fieldError(vehicle.text, 'deliveryDate'), 'Please enter a valid date.', 'no 30 February')
  t.equal(
    (await c.post('/portal/register/vehicle', { vin: 'WBA11AA010CH55555', model: 'BMW iX', deliveryDate: '2024-05-02', isNew: 'yes' }))
      .location,
    '/portal/register/confirm',
  )
  const confirm = await c.get('/portal/register/confirm')
  t.match(confirm.text, /No base fee for 12 months\./, 'the new-vehicle benefit of the German list')
  t.match(confirm.text, /IONITY Plus is booked for you and free for 12 months\. After that it costs €7\.49 a month/)
  const otherMarket = await c.post('/portal/register/confirm', { voucher: 'nurslo', action: 'check' })
  t.equal(fieldError(otherMarket.text, 'voucher'), 'This voucher is not valid for contracts in your home market.')
  t.equal((await c.post('/portal/register/confirm', { voucher: '', terms: 'yes', action: 'register' })).location, '/portal/register/sent')
  t.match((await c.get('/portal/register/sent')).text, /sent a link to ida@example\.com/)
  t.equal(await rows(), before, 'nothing is created before the e-mail address is confirmed')

  const link = (await w.lastMail('ida@example.com')).link
  const token = new URL(link).searchParams.get('token')!
  t.match(
    (await c.get(link.replace(w.emsp.url, ''))).text,
    /Confirm and create my contract/,
    'the link shows a button; opening it creates nothing',
  )
  t.equal(await rows(), before)
  const done = await c.post('/portal/register/verify', { token })
  t.equal(done.status, 200)
  const contractId = /DE-BMW-C\d{8}-\d/.exec(done.text)![0]
  t.equal((await c.post('/portal/register/verify', { token })).status, 410, 'the link works once')
  t.equal(await rows(), before + 1)
  t.equal((await w.emsp.database.db.select({ n: count() }).from(contracts))[0]!.n, 1)
  const contract = (await w.emsp.admin('GET', `/contracts/${contractId}`)).body
  t.match(contract, {
    tariff: 'ACTIVE',
    state: 'active',
    start_date: '2024-06-03',
    vehicle: { vin: 'WBA11AA010CH55555', model: 'iX', is_new: true },
  })
  t.same(contract.packages, [{ code: 'IONITY_PLUS', booked_at: '2024-06-03', ends_at: null }], 'IONITY Plus booked with the registration')
  t.match((await w.emsp.admin('GET', `/customers/${contract.customer_id}`)).body, { name: 'Ida Ionity', email: 'ida@example.com' })

  await c.get('/portal/login')
  t.equal(
    (await c.post('/portal/login', { email: 'IDA@example.com ', password: PASSWORD })).location,
    '/portal/contracts',
    'the address in any case, trimmed',
  )
  const page = (await c.get('/portal/contracts')).text
  t.match(page, /Booked since 3 June 2024\./)
  t.match(page, /Cancelled today, it ends on 2 July 2024\./, 'the contract-date rule: booked on the 3rd, contract date the 2nd')
  t.match(page, /Next contract date<\/dt><dd>2 July 2024/)

  // IONITY Plus: cancelled, it ends on its next contract date; it cannot be booked twice
  w.clock.advance(3_600_000)
  t.equal((await c.post(`/portal/contracts/${contractId}/ionity-plus/cancel`, {})).location, '/portal/contracts?done=ionityCancelled')
  t.same((await w.emsp.admin('GET', `/contracts/${contractId}`)).body.packages, [
    { code: 'IONITY_PLUS', booked_at: '2024-06-03', ends_at: '2024-07-02' },
  ])
  t.match(
    (await c.get('/portal/contracts?done=ionityCancelled')).text,
    /IONITY Plus is cancelled[\s\S]*Booked since 3 June 2024, cancelled: ends on 2 July 2024\./,
  )
  const twice = await c.post(`/portal/contracts/${contractId}/ionity-plus`, {})
  t.equal(twice.status, 409)
  t.match(twice.text, /IONITY Plus is already booked\./, 'refused with a notice (it runs until 2 July)')

  // Replacement card: the lost card is blocked, the new one is listed, the fee shown first
  const card = (await w.emsp.admin('POST', `/contracts/${contractId}/cards`, {})).body
  const replace = await c.get(`/portal/contracts/${contractId}/cards/${card.uid}/replace`)
  t.match(replace.text, new RegExp(`Card ${card.visual_number} will be blocked at once[\\s\\S]*costs €7\\.50`))
  t.equal((await c.post(`/portal/contracts/${contractId}/cards/${card.uid}/replace`, {})).location, '/portal/contracts?done=cardReplaced')
  const cards = (await w.emsp.admin('GET', `/contracts/${contractId}`)).body.tokens.filter((tk: { type: string }) => tk.type === 'RFID')
  t.same(cards.map((tk: { visual_number: string; valid: boolean }) => `${tk.visual_number}:${tk.valid}`).sort(), [
    `${contractId}-01:false`,
    `${contractId}-02:true`,
  ])
  t.equal(
    (await c.post(`/portal/contracts/${contractId}/cards/${card.uid}/replace`, {})).status,
    404,
    'a blocked card cannot be replaced again',
  )

  // Vehicle: a correction keeps the benefit; another VIN is another car
  t.equal(
    (
      await c.post(`/portal/contracts/${contractId}/vehicle`, {
        vin: 'WBA11AA010CH55555',
        model: 'iX xDrive40',
        deliveryDate: '2024-05-02',
      })
    ).location,
    '/portal/contracts?done=vehicleSaved',
  )
  t.match((await w.emsp.admin('GET', `/contracts/${contractId}`)).body.vehicle, { model: 'iX xDrive40', is_new: true })
  t.match((await c.get(`/portal/contracts/${contractId}/vehicle`)).text, /new-vehicle benefits end/)
  await c.post(`/portal/contracts/${contractId}/vehicle`, { vin: 'WBA11AA010CH66666', model: 'i4', deliveryDate: '2024-06-10' })
  t.match((await w.emsp.admin('GET', `/contracts/${contractId}`)).body.vehicle, { vin: 'WBA11AA010CH66666', is_new: false })

  // Contract deletion: it ends on its next contract date
  t.match(
    (await c.get(`/portal/contracts/${contractId}/cancel`)).text,
    new RegExp(`delete contract ${contractId}\\? It ends on 2 July 2024`),
  )
  t.equal((await c.post(`/portal/contracts/${contractId}/cancel`, {})).location, '/portal/contracts?done=contractCancelled')
  t.match((await w.emsp.admin('GET', `/contracts/${contractId}`)).body, { state: 'cancelled', end_date: '2024-07-02' })
  const after = (await c.get('/portal/contracts')).text
  t.match(after, /Cancelled, ends on 2 July 2024/)
  t.notMatch(after, /Delete contract/, 'nothing left to delete')
  const again = await c.post(`/portal/contracts/${contractId}/cancel`, {})
  t.equal(again.status, 409)
  t.match(again.text, /This contract can no longer be changed\./)
})
