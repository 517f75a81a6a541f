// Two instances on one database (issue 20.1): two runners drain one backlog together, each job runs
// exactly once (SKIP LOCKED claims are disjoint), batches included, and every job ends done.
import { sql } from 'drizzle-orm'
import t from 'tap'
import { execRows } from '../../src/db/client.js'
import { createJobRunner } from '../../src/jobs/runner.js'
import { systemClock } from '../../src/platform/clock.js'
import { freshDatabase } from '../helpers/db.js'
import { silentLogger } from '../helpers/logger.js'

t.test('two runners on one database drain a backlog disjointly', async (t) => {
  const { db } = await freshDatabase(t)
  const ran = new Map<string, string[]>()
  const runners = ['a', 'b'].map((name) => {
    const runner = createJobRunner({ db, clock: systemClock, log: silentLogger, pollMs: 10, leaseMs: 60_000, batchClaim: 8 })
    const note = (n: unknown) => void ran.set(String(n), [...(ran.get(String(n)) ?? []), name])
    runner.register('rate', async (payload) => note(payload.n), {
      batch: async (payloads) => {
        for (const p of payloads) note(p.n)
      },
    })
    runner.register('other', async (payload) => note(payload.n))
    return runner
  })
  const all = Array.from({ length: 300 }, (_, i) => ({ queue: i % 3 === 0 ? 'other' : 'rate', payload: { n: String(i) } }))
  await runners[0]!.enqueueMany(db, all)
  for (const runner of runners) runner.start()
  t.teardown(() => Promise.all(runners.map((r) => r.stop())))
  const open = async () => (await execRows<{ n: number }>(db, sql`select count(*)::int as n from jobs where state <> 'done'`))[0]!.n
  for (let i = 0; i < 1500 && (await open()) > 0; i++) await new Promise((r) => setTimeout(r, 20))
  await Promise.all(runners.map((r) => r.stop()))

  t.equal(await open(), 0, 'every job is done')
  t.equal(ran.size, 300, 'every job ran')
  t.same(
    [...ran].filter(([, by]) => by.length !== 1),
    [],
    'no job ran twice',
  )
  const by = [...ran.values()].flat()
  // Which runner took how many is not asserted (it depends on scheduling); the counts are in the message.
  t.equal(by.length, 300, `300 runs in all (a ${by.filter((x) => x === 'a').length}, b ${by.filter((x) => x === 'b').length})`)
})
