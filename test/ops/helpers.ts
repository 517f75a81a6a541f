import { randomUUID } from 'node:crypto'
import { request } from 'node:http'
import type { ChildProcess } from 'node:child_process'
import { sql } from 'drizzle-orm'
import { openDatabase } from '../../src/db/client.js'

/** What the server processes in these tests share: admin token, app JWT secret, no scheduled pulls. */
export const APP_JWT_SECRET = 'ops-test-app-jwt-secret-0123456789abcdef'

/**
 * A customer with a live (REQUESTED) start command, written straight into the server's database
 * before the server starts (PGlite allows one process), so the app's event stream of that command
 * stays open until it is ended.
 */
export const seedLiveCommand = async (env: Record<string, string>) => {
  const database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR })
  const customerId = randomUUID()
  const commandId = randomUUID()
  try {
    await database.db.execute(
      sql`insert into customers (id, name, email, created_at, updated_at) values (${customerId}, 'Stream Tester', 'stream@example.com', now(), now())`,
    )
    await database.db.execute(sql`
      insert into commands (id, type, state, origin, customer_id, partner_id, country_code, party_id, request, deadline_at, requested_at, updated_at)
      values (${commandId}, 'START_SESSION', 'REQUESTED', 'app', ${customerId}, ${randomUUID()}, 'DE', 'ABC', '{}'::jsonb, now() + interval '1 hour', now(), now())`)
  } finally {
    await database.close()
  }
  return { customerId, commandId }
}

/** An app JWT for the customer, minted by the running server's admin API. */
export const appToken = async (url: string, adminToken: string, customerId: string): Promise<string> => {
  const res = await fetch(`${url}/admin/v1/app-tokens`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ customer_id: customerId }),
  })
  if (res.status >= 300) throw new Error(`app-tokens: HTTP ${res.status} ${await res.text()}`)
  return ((await res.json()) as { token: string }).token
}

/** Opens the command's server-sent event stream; resolves once the first event arrived. */
export const openEventStream = (url: string, commandId: string, jwt: string) =>
  new Promise<{ status: number; firstEvent: string; ended: Promise<'end' | 'error'> }>((resolve, reject) => {
    const req = request(
      `${url}/app/v1/charging/commands/${commandId}/events`,
      { headers: { authorization: `Bearer ${jwt}`, accept: 'text/event-stream' } },
      (res) => {
        const ended = new Promise<'end' | 'error'>((done) => {
          res.once('end', () => done('end'))
          res.once('error', () => done('error'))
          res.once('close', () => done('end'))
        })
        let text = ''
        res.setEncoding('utf8')
        const onData = (chunk: string) => {
          text += chunk
          if (text.includes('\n\n')) {
            res.off('data', onData)
            res.resume()
            resolve({ status: res.statusCode ?? 0, firstEvent: text, ended })
          }
        }
        res.on('data', onData)
        res.once('end', () => resolve({ status: res.statusCode ?? 0, firstEvent: text, ended }))
      },
    )
    req.once('error', reject)
    req.end()
  })

/** The exit code of a child process (null when it ended by a signal). */
export const exitOf = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve({ code: child.exitCode, signal: child.signalCode })
    child.once('exit', (code, signal) => resolve({ code, signal }))
  })

/** Whether anything answers HTTP on the URL. */
export const answers = async (url: string) => {
  try {
    await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) })
    return true
  } catch {
    return false
  }
}
