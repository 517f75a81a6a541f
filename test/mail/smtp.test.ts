// The mail port with SMTP_URL: a real SMTP server (smtp-server) on loopback receives the mail the
// customer area sends; the outbox row records the delivery and loses the body (no one-time link
// stays in the database). A server that refuses the recipient leaves the error on the row and the
// job retrying.
import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import t from 'tap'
import { startTestApp } from '../helpers/build-app.js'
import { portalClient } from '../portal/client.js'

t.test('mails go out through SMTP when SMTP_URL is set', async (t) => {
  const received: { from: string; to: string[]; data: string }[] = []
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    onRcptTo: (address, _session, callback) =>
      address.address.startsWith('bounce') ? callback(new Error('550 no such user')) : callback(),
    onData: (stream, session, callback) => {
      let data = ''
      stream.on('data', (chunk: Buffer) => (data += chunk.toString('utf8')))
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          data,
        })
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => smtp.close(() => resolve())))
  const port = (smtp.server.address() as AddressInfo).port
  const emsp = await startTestApp(t, {
    env: { SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: 'BMW Charging <no-reply@bmw-charging.example>' },
  })
  for (const email of ['sam@example.com', 'bounce@example.com']) {
    const res = await emsp.admin('POST', '/customers', {
      name: 'Sam Smtp',
      email,
      home_market: 'SI',
      tariff: 'FLEX',
      vehicle: { vin: email.startsWith('sam') ? 'WBA11AA010CH00005' : 'WBA11AA010CH00006', model: 'i4', delivery_date: '2026-01-10' },
    })
    t.equal(res.status, 201)
  }

  const c = portalClient(emsp.url, { acceptLanguage: 'sl' })
  await c.get('/portal/password/forgot')
  await c.post('/portal/password/forgot', { email: 'sam@example.com' })
  await c.post('/portal/password/forgot', { email: 'bounce@example.com' })
  await emsp.app.jobs.runDue({ queues: ['mail.send'] })

  t.equal(received.length, 1, 'one mail accepted by the server')
  const mail = received[0]!
  t.same(mail.to, ['sam@example.com'])
  t.equal(mail.from, 'no-reply@bmw-charging.example')
  t.match(
    mail.data,
    /Subject: Nastavite novo geslo za BMW Charging/,
    'the subject in Slovenian, the language of the page it was asked for on',
  )
  t.match(mail.data.replace(/=\r?\n/g, ''), /\/portal\/password\/reset\?token=3D|\/portal\/password\/reset\?token=/, 'with the reset link')

  const outbox = (await emsp.admin('GET', '/mail-outbox')).body.mails as {
    recipient: string
    transport: string
    sent_at: string | null
    body: string | null
    last_error: string | null
  }[]
  const sent = outbox.find((m) => m.recipient === 'sam@example.com')!
  t.match(sent, { transport: 'smtp', body: null, last_error: null })
  t.ok(sent.sent_at, 'delivered, the body erased')
  const bounced = outbox.find((m) => m.recipient === 'bounce@example.com')!
  t.match(bounced, { transport: 'smtp', sent_at: null })
  t.match(bounced.last_error, /550|no such user/, 'the refusal is kept on the row')
  t.ok(bounced.body, 'and the body, for the retries')
})
