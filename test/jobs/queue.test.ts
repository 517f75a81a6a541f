import t from 'tap'
import { fixedClock } from '../../src/platform/clock.js'
import { createJobRunner, RetryLater } from '../../src/jobs/runner.js'
import { countJobs } from '../../src/jobs/queue.js'
import { freshDatabase } from '../helpers/db.js'
import { silentLogger } from '../helpers/logger.js'

const silent = silentLogger

t.test('durable job queue', async (t) => {
  const { db } = await freshDatabase(t)
  const clock = fixedClock('2026-01-01T00:00:00Z')
  const runner = createJobRunner({ db, clock, log: silent, pollMs: 10, leaseMs: 30_000 })
  const seen: string[] = []
  let failuresLeft = 0
  runner.register('push', async (payload) => {
    if (failuresLeft > 0) {
      failuresLeft--
      throw payload.retryAfter ? new RetryLater('busy', Number(payload.retryAfter)) : new Error('partner down')
    }
    seen.push(String(payload.n))
  })

  t.test('jobs sharing an order key run in order, even when an earlier one is retried', async (t) => {
    seen.length = 0
    for (const n of [1, 2, 3]) await runner.enqueue(db, { queue: 'push', payload: { n }, orderKey: 'token-1' })
    await runner.enqueue(db, { queue: 'push', payload: { n: 'other' }, orderKey: 'token-2' })
    failuresLeft = 1
    t.equal(await runner.runDue(), 2, 'job 1 fails, token-2 runs; jobs 2 and 3 wait behind job 1')
    t.same(seen, ['other'])
    clock.advance(999)
    t.equal(await runner.runDue(), 0, 'backoff of 1 s not over yet')
    clock.advance(1)
    t.equal(await runner.runDue(), 3)
    t.same(seen, ['other', '1', '2', '3'])
  })

  t.test('Retry-After is honoured', async (t) => {
    seen.length = 0
    failuresLeft = 1
    await runner.enqueue(db, { queue: 'push', payload: { n: 'r', retryAfter: 120_000 } })
    await runner.runDue()
    clock.advance(119_000)
    t.equal(await runner.runDue(), 0)
    clock.advance(1_000)
    t.equal(await runner.runDue(), 1)
    t.same(seen, ['r'])
  })

  t.test('a dedupe key enqueues once', async (t) => {
    const first = await runner.enqueue(db, { queue: 'push', payload: { n: 'd' }, dedupeKey: 'slot-1' })
    const second = await runner.enqueue(db, { queue: 'push', payload: { n: 'd' }, dedupeKey: 'slot-1' })
    t.ok(first)
    t.equal(second, undefined)
    await runner.runDue()
  })

  t.test('a job enqueued in a rolled-back transaction does not exist', async (t) => {
    const before = await countJobs(db)
    await t.rejects(
      db.transaction(async (tx) => {
        await runner.enqueue(tx, { queue: 'push', payload: { n: 'never' } })
        throw new Error('business change failed')
      }),
    )
    t.same(await countJobs(db), before)
  })

  t.test('a job whose worker died is picked up again when its lease expires', async (t) => {
    seen.length = 0
    await runner.enqueue(db, { queue: 'push', payload: { n: 'lost' } })
    const crashed = createJobRunner({ db, clock, log: silent, pollMs: 10, leaseMs: 30_000 })
    crashed.register('push', () => new Promise(() => {})) // never finishes: the process "dies" holding the job
    void crashed.runDue({ max: 1 })
    await new Promise((r) => setTimeout(r, 200))
    t.equal(await runner.runDue(), 0, 'leased by the dead worker')
    clock.advance(30_001)
    t.equal(await runner.runDue(), 1)
    t.same(seen, ['lost'])
  })

  t.test('gives up after max attempts and records the error', async (t) => {
    failuresLeft = 2
    await runner.enqueue(db, { queue: 'push', payload: { n: 'x' }, maxAttempts: 2 })
    await runner.runDue()
    clock.advance(2_000)
    await runner.runDue()
    const failed = (await countJobs(db)).find((c) => c.state === 'failed')
    t.equal(failed?.count, 1)
  })
})
