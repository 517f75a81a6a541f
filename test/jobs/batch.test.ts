// Batch handlers (issue 16.13, 20.1): consecutive claimed jobs of a queue with a batch handler run
// together and are completed in one statement; when the batch throws, each job runs alone through
// the queue's own handler, so one bad job fails alone and the others are done.
import { sql } from 'drizzle-orm'
import t from 'tap'
import { execRows } from '../../src/db/client.js'
import { createJobRunner } from '../../src/jobs/runner.js'
import { fixedClock } from '../../src/platform/clock.js'
import { freshDatabase } from '../helpers/db.js'
import { silentLogger } from '../helpers/logger.js'

t.test('batch handlers', async (t) => {
  const { db } = await freshDatabase(t)
  const clock = fixedClock('2026-01-01T00:00:00Z')
  const runner = createJobRunner({ db, clock, log: silentLogger, pollMs: 10, leaseMs: 30_000, claimBatch: 8 })
  const batches: string[][] = []
  const alone: string[] = []
  let batchFails = false
  runner.register(
    'rate',
    async (payload) => {
      if (payload.n === 'bad') throw new Error('this one cannot be rated')
      alone.push(String(payload.n))
    },
    {
      batch: async (payloads) => {
        if (batchFails) throw new Error('the batch failed')
        batches.push(payloads.map((p) => String(p.n)))
      },
    },
  )
  runner.register('other', async (payload) => {
    alone.push(`other:${payload.n}`)
  })
  const states = () =>
    execRows<{ n: string; state: string }>(db, sql`select payload->>'n' as n, state from jobs order by id`).then((rows) =>
      rows.map((r) => `${r.n}:${r.state}`),
    )
  t.teardown(() => db.execute(sql`delete from jobs`))

  t.test('consecutive jobs of the queue run as one batch and are all done', async (t) => {
    for (const n of ['1', '2', '3']) await runner.enqueue(db, { queue: 'rate', payload: { n } })
    t.equal(await runner.runDue({ lane: 'local' }), 3)
    t.same(batches, [['1', '2', '3']], 'one call with the three payloads, in order')
    t.same(alone, [], 'the one-job handler was not called')
    t.same(await states(), ['1:done', '2:done', '3:done'])
  })

  t.test('a job claimed alone runs through the one-job handler', async (t) => {
    batches.length = 0
    alone.length = 0
    await runner.enqueue(db, { queue: 'rate', payload: { n: '4' } })
    t.equal(await runner.runDue({ lane: 'local' }), 1)
    t.same(batches, [])
    t.same(alone, ['4'])
  })

  t.test('a queue without a batch handler runs job by job between batches', async (t) => {
    batches.length = 0
    alone.length = 0
    await runner.enqueue(db, { queue: 'rate', payload: { n: '5' } })
    await runner.enqueue(db, { queue: 'rate', payload: { n: '6' } })
    await runner.enqueue(db, { queue: 'other', payload: { n: '7' } })
    await runner.enqueue(db, { queue: 'other', payload: { n: '8' } })
    t.equal(await runner.runDue({ lane: 'local' }), 4)
    t.same(batches, [['5', '6']])
    t.same(alone, ['other:7', 'other:8'])
  })

  t.test('a failing batch falls back to one job at a time: the bad job alone is retried', async (t) => {
    await db.execute(sql`delete from jobs`)
    batches.length = 0
    alone.length = 0
    batchFails = true
    for (const n of ['a', 'bad', 'b']) await runner.enqueue(db, { queue: 'rate', payload: { n } })
    t.equal(await runner.runDue({ lane: 'local' }), 3)
    t.same(batches, [], 'the batch did nothing')
    t.same(alone, ['a', 'b'], 'the good jobs ran alone')
    t.same(await states(), ['a:done', 'bad:pending', 'b:done'], 'the bad job waits for its retry; the others are done')
    const [bad] = await execRows<{ attempts: number; last_error: string }>(
      db,
      sql`select attempts, last_error from jobs where payload->>'n' = 'bad'`,
    )
    t.match(bad, { attempts: 1, last_error: 'this one cannot be rated' })
  })

  t.test('runDue without a lane claims one job at a time (no batches)', async (t) => {
    await db.execute(sql`delete from jobs`)
    batches.length = 0
    alone.length = 0
    batchFails = false
    for (const n of ['x', 'y']) await runner.enqueue(db, { queue: 'rate', payload: { n } })
    t.equal(await runner.runDue(), 2)
    t.same(batches, [])
    t.same(alone, ['x', 'y'])
  })

  t.test('a batch queue claims up to its own limit (JOBS_BATCH_CLAIM), other queues up to JOBS_CLAIM_BATCH', async (t) => {
    await db.execute(sql`delete from jobs`)
    const small = createJobRunner({ db, clock, log: silentLogger, pollMs: 10, leaseMs: 30_000, claimBatch: 1, batchClaim: 2 })
    const seen: string[][] = []
    small.register('rate', async (payload) => void seen.push([String(payload.n)]), {
      batch: async (payloads) => {
        seen.push(payloads.map((p) => String(p.n)))
      },
    })
    for (const n of ['1', '2', '3', '4', '5']) await small.enqueue(db, { queue: 'rate', payload: { n } })
    t.equal(await small.runDue({ lane: 'local' }), 5)
    t.same(seen, [['1', '2'], ['3', '4'], ['5']], 'claims of two, the last alone')
  })

  t.test('a batch handler completes its jobs in its own transaction: done exactly when its work commits', async (t) => {
    await db.execute(sql`delete from jobs`)
    const inTx = createJobRunner({ db, clock, log: silentLogger, pollMs: 10, leaseMs: 30_000 })
    let failAfterComplete = false
    const seenDone: string[][] = []
    const handled: string[] = []
    inTx.register('rate', async (payload) => void handled.push(String(payload.n)), {
      batch: (_payloads, ctx) =>
        db.transaction(async (tx) => {
          await ctx.complete(tx)
          // Inside the transaction the jobs are already done; outside it nothing shows until the commit.
          seenDone.push(
            (await execRows<{ n: string }>(tx, sql`select payload->>'n' as n from jobs where state = 'done' order by id`)).map((r) => r.n),
          )
          if (failAfterComplete) throw new Error('the work failed after complete()')
        }),
    })
    for (const n of ['c1', 'c2']) await inTx.enqueue(db, { queue: 'rate', payload: { n } })
    t.equal(await inTx.runDue({ lane: 'local' }), 2)
    t.same(seenDone, [['c1', 'c2']], 'complete(tx) marked both done inside the transaction')
    t.same(await states(), ['c1:done', 'c2:done'], 'and they stay done: the runner did not complete them again')

    await db.execute(sql`delete from jobs`)
    failAfterComplete = true
    for (const n of ['r1', 'r2']) await inTx.enqueue(db, { queue: 'rate', payload: { n } })
    t.equal(await inTx.runDue({ lane: 'local' }), 2)
    t.same(handled, ['r1', 'r2'], 'the rolled-back batch ran again job by job')
    t.same(await states(), ['r1:done', 'r2:done'], 'done by the fallback, not by the rolled-back complete()')
  })

  t.test('enqueueMany writes several jobs in one statement, deduplicated like enqueue', async (t) => {
    await db.execute(sql`delete from jobs`)
    const ids = await runner.enqueueMany(db, [
      { queue: 'rate', payload: { n: 'm1' }, dedupeKey: 'm1' },
      { queue: 'rate', payload: { n: 'm2' }, dedupeKey: 'm2' },
    ])
    t.equal(ids.length, 2)
    const again = await runner.enqueueMany(db, [
      { queue: 'rate', payload: { n: 'm1' }, dedupeKey: 'm1' },
      { queue: 'rate', payload: { n: 'm3' }, dedupeKey: 'm3' },
    ])
    t.equal(again.length, 1, 'the duplicate is skipped')
    t.same(await states(), ['m1:pending', 'm2:pending', 'm3:pending'])
  })
})
