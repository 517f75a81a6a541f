import t from 'tap'
import { sql } from 'drizzle-orm'
import { execRows } from '../../src/db/client.js'
import { claimDue, enqueue } from '../../src/jobs/queue.js'
import { createJobRunner } from '../../src/jobs/runner.js'
import { fixedClock } from '../../src/platform/clock.js'
import { freshDatabase } from '../helpers/db.js'
import { silentLogger } from '../helpers/logger.js'

const silent = silentLogger
const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s))

t.test('a batch claim takes the oldest due jobs over all its queues, never two of one order key', async (t) => {
  const { db } = await freshDatabase(t)
  const now = at(100)
  // a and b interleaved by run_at; one job of queue c (not asked for), one not due yet.
  await enqueue(db, { queue: 'a', payload: { n: 'a3' }, runAt: at(3) }, now)
  await enqueue(db, { queue: 'b', payload: { n: 'b1' }, runAt: at(1) }, now)
  await enqueue(db, { queue: 'a', payload: { n: 'a2' }, runAt: at(2) }, now)
  await enqueue(db, { queue: 'c', payload: { n: 'c0' }, runAt: at(0) }, now)
  await enqueue(db, { queue: 'b', payload: { n: 'b4' }, runAt: at(4) }, now)
  await enqueue(db, { queue: 'a', payload: { n: 'late' }, runAt: at(200) }, now)
  const first = await claimDue(db, ['a', 'b'], now, 30_000, { limit: 3 })
  t.same(
    first.map((j) => j.payload.n),
    ['b1', 'a2', 'a3'],
    'oldest due first across queues, limit respected',
  )
  const rest = await claimDue(db, ['a', 'b'], now, 30_000, { limit: 10 })
  t.same(
    rest.map((j) => j.payload.n),
    ['b4'],
    'claimed jobs are not claimed again; not due and other queues stay',
  )

  for (const n of [1, 2, 3]) await enqueue(db, { queue: 'k', payload: { n: `k${n}` }, orderKey: 'same' }, now)
  await enqueue(db, { queue: 'k', payload: { n: 'other' }, orderKey: 'other' }, now)
  const keyed = await claimDue(db, ['k'], now, 30_000, { limit: 10 })
  t.same(
    keyed.map((j) => j.payload.n),
    ['k1', 'other'],
    'the later jobs of an order key wait for the first',
  )
  t.same(await claimDue(db, ['k'], now, 30_000, { limit: 10 }), [], 'nothing while k1 runs')
})

t.test('claims side by side get disjoint batches (SKIP LOCKED)', async (t) => {
  const { db } = await freshDatabase(t)
  const now = at(100)
  for (let n = 0; n < 40; n++) await enqueue(db, { queue: n % 2 ? 'a' : 'b', payload: { n }, runAt: at(n) }, now)
  // Side by side, a claim skips the rows another holds locked (it may get fewer); claims go on until none is left.
  const ids: number[] = []
  for (;;) {
    const batches = await Promise.all(Array.from({ length: 4 }, () => claimDue(db, ['a', 'b'], now, 30_000, { limit: 10 })))
    if (batches.every((b) => b.length === 0)) break
    ids.push(...batches.flat().map((j) => j.id))
  }
  t.equal(new Set(ids).size, ids.length, 'no job claimed twice')
  t.equal(ids.length, 40, 'every job claimed')
})

t.test('the local lane runs its batches in order and a stop hands unstarted jobs of a batch back', async (t) => {
  const { db } = await freshDatabase(t)
  const clock = fixedClock('2026-01-01T00:00:00Z')
  const runner = createJobRunner({ db, clock, log: silent, pollMs: 10, leaseMs: 30_000, workers: { local: 1, partner: 0 }, claimBatch: 4 })
  const seen: number[] = []
  let block: Promise<void> | undefined
  let started: () => void = () => {}
  const blocking = new Promise<void>((r) => (started = r))
  runner.register('rate', async (payload) => {
    if (block) {
      started()
      await block
    }
    seen.push(Number(payload.n))
  })
  for (let n = 0; n < 10; n++) await runner.enqueue(db, { queue: 'rate', payload: { n }, orderKey: `cdr-${n % 3}` })
  t.equal(await runner.runDue({ lane: 'local' }), 10)
  t.same(seen, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'in enqueue order')

  let unblock: () => void = () => {}
  block = new Promise<void>((r) => (unblock = r))
  for (let n = 10; n < 14; n++) await runner.enqueue(db, { queue: 'rate', payload: { n } })
  runner.start()
  await blocking
  await runner.stop({ timeoutMs: 50 })
  unblock()
  await new Promise((r) => setTimeout(r, 50))
  const rows = await execRows<{ state: string; attempts: number }>(
    db,
    sql`select state, attempts from jobs where queue = 'rate' and (payload->>'n')::int >= 10 order by id`,
  )
  t.same(
    rows,
    Array.from({ length: 4 }, () => ({ state: 'pending', attempts: 0 })),
    'the running job and the rest of its batch are pending again, unlocked',
  )
})
