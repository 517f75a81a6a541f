// The failed-job list and retry of the admin API, on the real app.
import t from 'tap'
import { sql } from 'drizzle-orm'
import { execRows } from '../../src/db/client.js'
import { startTestApp } from '../helpers/build-app.js'

t.test('failed jobs are listed (paged) and retried: failed → pending with attempts reset; 404 unknown, 409 not failed', async (t) => {
  const emsp = await startTestApp(t)
  const db = emsp.database.db
  const insert = (state: string, queue: string, n: number) =>
    execRows<{ id: string | number }>(
      db,
      sql`insert into jobs (queue, payload, state, attempts, max_attempts, run_at, created_at, finished_at, last_error)
          values (${queue}, ${JSON.stringify({ partnerId: 'p1', n })}::jsonb, ${state}, 25, 25, now(), now(), now(), ${state === 'failed' ? `boom ${n}` : null}) returning id`,
    ).then((r) => Number(r[0]!.id))
  const failed = [
    await insert('failed', 'tokens.push', 1),
    await insert('failed', 'tokens.push', 2),
    await insert('failed', 'mail.send', 3),
  ]
  const done = await insert('done', 'tokens.push', 4)

  const page1 = await emsp.admin('GET', '/jobs?status=failed&limit=2')
  t.equal(page1.status, 200)
  t.same(
    page1.body.jobs.map((j: { id: number }) => j.id),
    [failed[2], failed[1]],
    'newest first',
  )
  t.match(page1.body.jobs[0], {
    queue: 'mail.send',
    payload: { partnerId: 'p1', n: 3 },
    attempts: 25,
    max_attempts: 25,
    last_error: 'boom 3',
    finished_at: String,
  })
  const page2 = await emsp.admin('GET', `/jobs?status=failed&limit=2&before_id=${page1.body.next_before_id}`)
  t.same(
    page2.body.jobs.map((j: { id: number }) => j.id),
    [failed[0]],
  )
  t.equal(page2.body.next_before_id, null)
  t.same(
    (await emsp.admin('GET', '/jobs?queue=mail.send')).body.jobs.map((j: { id: number }) => j.id),
    [failed[2]],
    'one queue',
  )
  t.equal((await emsp.admin('GET', '/jobs?status=done')).status, 400, 'only failed jobs are listed')

  const retried = await emsp.admin('POST', `/jobs/${failed[0]}/retry`)
  t.equal(retried.status, 200)
  t.same(retried.body, { id: failed[0], state: 'pending' })
  const [row] = await execRows<{ state: string; attempts: number; finished_at: unknown; locked_until: unknown }>(
    db,
    sql`select state, attempts, finished_at, locked_until from jobs where id = ${failed[0]}`,
  )
  t.same(row, { state: 'pending', attempts: 0, finished_at: null, locked_until: null })
  t.equal((await emsp.admin('GET', '/jobs')).body.jobs.length, 2, 'no longer listed as failed')

  t.equal((await emsp.admin('POST', `/jobs/${failed[0]}/retry`)).status, 409, 'pending now: not failed')
  const notFailed = await emsp.admin('POST', `/jobs/${done}/retry`)
  t.equal(notFailed.status, 409)
  t.equal(notFailed.body.code, 'job_not_failed')
  const unknown = await emsp.admin('POST', '/jobs/999999/retry')
  t.equal(unknown.status, 404)
  t.equal(unknown.body.code, 'job_not_found')
  t.equal((await emsp.admin('POST', '/jobs/abc/retry')).status, 400)
  t.equal((await emsp.ocpi('GET', '/admin/v1/jobs')).status, 401, 'admin token required')
})
