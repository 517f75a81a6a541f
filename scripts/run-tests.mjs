// Runs tap and ends with the plain summary line CI reads: "N passed, N failed[, N skipped]".
// Counts are tap's (assertions and subtests), taken from its final "# { total, pass, fail }" line.
import { spawn } from 'node:child_process'

const child = spawn('npx', ['tap', '-R', 'tap', ...process.argv.slice(2)], {
  stdio: ['ignore', 'pipe', 'inherit'],
})
let tail = ''
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk)
  tail = (tail + chunk).slice(-8000)
})
child.on('close', (code) => {
  const summary = [...tail.matchAll(/# \{ ([^}]*) \}/g)].at(-1)
  if (!summary) {
    console.log('0 passed, 1 failed')
    process.exit(code || 1)
  }
  const field = (name) => Number(new RegExp(`${name}: (\\d+)`).exec(summary[1])?.[1] ?? 0)
  const skipped = field('skip') + field('todo')
  // a non-zero exit with no failed assertion (a crashed file, a timeout) still counts as a failure
  const failed = field('fail') || (code ? 1 : 0)
  console.log(`${field('pass')} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ''))
  process.exit(code ?? 1)
})
