// Job lanes: a partner call that hangs never holds the local lane (rating), one partner's slow jobs
// never starve another partner's, stop() gives unfinished jobs back, cleanup keeps failed jobs.
import t from 'tap'
import { sql } from 'drizzle-orm'
import { execRows, type Db } from '../../src/db/client.js'
import { createJobsCleanup } from '../../src/jobs/cleanup.js'
import { createJobRunner } from '../../src/jobs/runner.js'
import { fixedClock, systemClock } from '../../src/platform/clock.js'
import { freshDatabase } from '../helpers/db.js'
import { silentLogger } from '../helpers/logger.js'

const silent = silentLogger

/** A partner call that never answers until the test lets it go. */
const hanging = () => {
  const waiters: (() => void)[] = []
  return {
    call: () => new Promise<void>((resolve) => waiters.push(resolve)),
    get waiting() {
      return waiters.length
    },
    releaseAll: () => {
      for (const r of waiters.splice(0)) r()
    },
  }
}

const stateOf = async (db: Db, id: number) =>
  (
    await execRows<{ state: string; locked_until: string | null; attempts: number }>(
      db,
      sql`select state, locked_until, attempts from jobs where id = ${id}`,
    )
  )[0]!

const eventually = async (check: () => Promise<boolean> | boolean, what: string) => {
  for (let i = 0; i < 300; i++) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, 20))
  }
  throw new Error(`timed out waiting for ${what}`)
}

t.test('a hanging partner call never blocks the local lane: rating runs beside it', async (t) => {
  const { db } = await freshDatabase(t)
  const partner = hanging()
  const runner = createJobRunner({ db, clock: systemClock, log: silent, pollMs: 20, workers: { local: 1, partner: 2 } })
  runner.register('tokens.push', () => partner.call(), { lane: 'partner' })
  const rated: number[] = []
  runner.register('cdr.received', async (p) => void rated.push(Number(p.n)))
  t.teardown(async () => {
    partner.releaseAll()
    await runner.stop({ timeoutMs: 1000 })
  })
  // More hanging calls (three partners) than the process has workers in all.
  for (const partnerId of ['a', 'b', 'c']) await runner.enqueue(db, { queue: 'tokens.push', payload: { partnerId } })
  for (const n of [1, 2, 3]) await runner.enqueue(db, { queue: 'cdr.received', payload: { n } })
  runner.start()
  await eventually(() => rated.length === 3, 'the CDRs to be rated')
  // The second partner worker may claim after rating is done (each worker polls on its own): wait for
  // both to hang, then give a third push five polls to start, which it must not.
  await eventually(() => partner.waiting >= 2, 'both partner workers to take a push')
  await new Promise((r) => setTimeout(r, 100))
  t.equal(partner.waiting, 2, 'both partner workers hang; the third push waits for one of them')
  t.same(rated.sort(), [1, 2, 3], 'every CDR rated while the partner hangs')
  t.equal(runner.laneOf('cdr.received'), 'local', 'local is the default lane')
})

t.test("one partner's hanging jobs never starve another partner's", async (t) => {
  const { db } = await freshDatabase(t)
  const slow = hanging()
  const done: string[] = []
  let answering = false
  const runner = createJobRunner({ db, clock: systemClock, log: silent, pollMs: 20, workers: { local: 1, partner: 2 }, partnerCap: 1 })
  runner.register(
    'tokens.push',
    async (p) => {
      if (p.partnerId === 'slow' && !answering) await slow.call()
      done.push(String(p.partnerId))
    },
    { lane: 'partner' },
  )
  t.teardown(async () => {
    slow.releaseAll()
    await runner.stop({ timeoutMs: 1000 })
  })
  for (let i = 0; i < 3; i++) await runner.enqueue(db, { queue: 'tokens.push', payload: { partnerId: 'slow', i } })
  await runner.enqueue(db, { queue: 'tokens.push', payload: { partnerId: 'fast' } })
  runner.start()
  await eventually(() => done.includes('fast'), "the other partner's push")
  t.equal(slow.waiting, 1, 'the slow partner holds one worker only (its cap)')
  answering = true
  slow.releaseAll()
  await eventually(() => done.filter((p) => p === 'slow').length === 3, "the slow partner's pushes, once it answers")
  t.pass('all pushes ran')
})

t.test('stop() waits for running jobs within its bound, then releases the lease of the unfinished ones', async (t) => {
  const { db } = await freshDatabase(t)
  const partner = hanging()
  const runner = createJobRunner({ db, clock: systemClock, log: silent, pollMs: 20, leaseMs: 60_000, workers: { local: 1, partner: 1 } })
  let quickDone = false
  runner.register('tokens.push', () => partner.call(), { lane: 'partner' })
  runner.register('quick', async () => {
    await new Promise((r) => setTimeout(r, 150))
    quickDone = true
  })
  const stuck = (await runner.enqueue(db, { queue: 'tokens.push', payload: { partnerId: 'slow' } }))!
  const quick = (await runner.enqueue(db, { queue: 'quick', payload: {} }))!
  runner.start()
  await eventually(
    async () => (await stateOf(db, stuck)).state === 'running' && (await stateOf(db, quick)).state === 'running',
    'both jobs running',
  )
  await runner.stop({ timeoutMs: 500 })
  t.ok(quickDone, 'the job that could finish within the bound finished')
  t.equal((await stateOf(db, quick)).state, 'done')
  t.match(
    await stateOf(db, stuck),
    { state: 'pending', locked_until: null, attempts: 0 },
    'the unfinished job is free for another instance at once',
  )

  // Another instance takes it now, not after the 60 s lease.
  const other = createJobRunner({ db, clock: systemClock, log: silent, pollMs: 20 })
  let taken = false
  other.register('tokens.push', async () => void (taken = true), { lane: 'partner' })
  t.equal(await other.runDue({ lane: 'partner' }), 1)
  t.ok(taken)
  partner.releaseAll()
  await new Promise((r) => setTimeout(r, 50))
  t.equal((await stateOf(db, stuck)).state, 'done', "the stopped runner's late outcome is not written over the other instance's")
})

t.test('cleanup deletes done jobs past the retention in batches; failed, pending and recent done jobs stay', async (t) => {
  const { db } = await freshDatabase(t)
  const clock = fixedClock('2026-03-01T00:00:00Z')
  const runner = createJobRunner({ db, clock, log: silent, pollMs: 20 })
  const cleanup = createJobsCleanup({ db, jobs: runner, clock, retentionHours: 72 })
  runner.register('work', async (p) => {
    if (p.fail) throw new Error('broken for good')
  })
  await runner.enqueue(db, { queue: 'work', payload: { old: true } })
  await runner.enqueue(db, { queue: 'work', payload: { fail: true }, maxAttempts: 1 })
  await runner.runDue({ queues: ['work'] })
  clock.advance(72 * 3_600_000 - 1000)
  await runner.enqueue(db, { queue: 'work', payload: { recent: true } })
  await runner.runDue({ queues: ['work'] })
  await runner.enqueue(db, { queue: 'work', payload: { later: true }, runAt: new Date(clock.now().getTime() + 3_600_000 * 1000) })
  clock.advance(2000)

  await cleanup.start()
  t.equal(await runner.runDue({ queues: ['jobs.cleanup'] }), 1, "this hour's cleanup ran")
  const left = await execRows<{ state: string; payload: Record<string, unknown> }>(
    db,
    sql`select state, payload from jobs where queue = 'work' order by id`,
  )
  t.same(
    left.map((j) => Object.keys(j.payload)[0] + ':' + j.state),
    ['fail:failed', 'recent:done', 'later:pending'],
    'only the old done job is gone',
  )
  const next = await execRows<{ run_at: Date | string }>(
    db,
    sql`select run_at from jobs where queue = 'jobs.cleanup' and state = 'pending'`,
  )
  t.equal(next.length, 1, 'the next hour is scheduled')
  await cleanup.start()
  t.equal(
    (await execRows(db, sql`select id from jobs where queue = 'jobs.cleanup'`)).length,
    2,
    'starting again adds nothing (one job per hour slot)',
  )
})
