import type { Progress } from './sender.js'

/**
 * Progress on stderr: a redrawn bar on a terminal, otherwise a plain line every 10% (logs and CI
 * stay readable). stdout is left to the summary.
 */
export const progressReporter = (stream: NodeJS.WriteStream = process.stderr, label = 'replay') => {
  const tty = stream.isTTY === true
  let lastTenth = -1
  let lastDraw = 0
  return {
    update(p: Progress) {
      const ratio = p.total === 0 ? 1 : p.done / p.total
      if (tty) {
        const now = Date.now()
        if (now - lastDraw < 50 && p.done < p.total) return
        lastDraw = now
        const width = 30
        const filled = Math.round(ratio * width)
        stream.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.done}/${p.total} sent, ${p.refused} refused`)
        if (p.done >= p.total) stream.write('\n')
        return
      }
      const tenth = Math.floor(ratio * 10)
      if (tenth === lastTenth) return
      lastTenth = tenth
      stream.write(`${label}: ${p.done}/${p.total} (${tenth * 10}%), ${p.refused} refused\n`)
    },
  }
}
