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
