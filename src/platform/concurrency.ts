/** Runs `fn` over `items` with at most `limit` calls in flight; resolves when all have settled. */
export const forEachLimit = async <T>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<void>) => {
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const index = next++
      await fn(items[index]!, index)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}

/**
 * A bulkhead: at most `size` calls of `run` at once; the others wait their turn in arrival order.
 * A burst of one kind of request then holds at most `size` database connections (the rest of the
 * pool stays free for other work), and each admitted request runs its statements without queueing
 * behind every other request's at each one (FIFO admission instead of a free-for-all per statement).
 */
export const createBulkhead = (size: number) => {
  let running = 0
  const waiting: (() => void)[] = []
  const release = () => {
    const next = waiting.shift()
    if (next) next()
    else running--
  }
  return {
    run: async <T>(fn: () => Promise<T>): Promise<T> => {
      if (running < size) running++
      else await new Promise<void>((resolve) => waiting.push(resolve))
      try {
        return await fn()
      } finally {
        release()
      }
    },
    /** Calls running and waiting now. */
    stats: () => ({ running, waiting: waiting.length }),
  }
}
export type Bulkhead = ReturnType<typeof createBulkhead>
