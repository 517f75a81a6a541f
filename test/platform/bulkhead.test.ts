// createBulkhead (src/platform/concurrency.ts): at most `size` calls at once, the rest admitted in
// arrival order, a failing call frees its place, and the map route runs inside one.
import t from 'tap'
import { createBulkhead } from '../../src/platform/concurrency.js'

/** A call that runs until released from outside. */
const gate = () => {
  let open!: () => void
  const opened = new Promise<void>((resolve) => {
    open = resolve
  })
  return { open, opened }
}
const tick = () => new Promise((resolve) => setImmediate(resolve))

t.test('at most size calls run; the others start in the order they arrived', async (t) => {
  const bulkhead = createBulkhead(2)
  const started: number[] = []
  const gates = Array.from({ length: 5 }, gate)
  const calls = gates.map((g, i) =>
    bulkhead.run(async () => {
      started.push(i)
      await g.opened
      return i
    }),
  )
  await tick()
  t.same(started, [0, 1], 'two run, three wait')
  t.same(bulkhead.stats(), { running: 2, waiting: 3 })
  gates[1]!.open()
  await tick()
  t.same(started, [0, 1, 2], 'a place freed goes to the first in line')
  gates[0]!.open()
  await tick()
  t.same(started, [0, 1, 2, 3])
  for (const g of gates) g.open()
  t.same(await Promise.all(calls), [0, 1, 2, 3, 4], 'every call answers its own result')
  t.same(bulkhead.stats(), { running: 0, waiting: 0 })
})

t.test('a call that fails frees its place and its caller gets the error', async (t) => {
  const bulkhead = createBulkhead(1)
  const failing = bulkhead.run(async () => {
    throw new Error('driver error')
  })
  const next = bulkhead.run(async () => 'next')
  await t.rejects(failing, /driver error/)
  t.equal(await next, 'next')
  t.same(bulkhead.stats(), { running: 0, waiting: 0 })
})
