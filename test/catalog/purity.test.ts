// The catalog is pure data: its files import only one another (no decimal.js even: amounts are the
// strings the price lists print), and read no clock, environment or file.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'

const ROOT = 'src/catalog'
const files = readdirSync(ROOT)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => join(ROOT, f))

t.test('imports', async (t) => {
  t.ok(files.length > 5, 'the catalog files are found')
  for (const file of files) {
    const source = readFileSync(file, 'utf8')
    const specifiers = [...source.matchAll(/^\s*(?:import|export)[^'"]*?from\s+'([^']+)'/gm)].map((m) => m[1]!)
    for (const spec of specifiers) t.ok(spec.startsWith('./'), `${file} imports ${spec}`)
  }
})

t.test('no clock, environment, console or I/O', async (t) => {
  for (const file of files) {
    const source = readFileSync(file, 'utf8')
    t.notMatch(source, /Date\.now\(|new Date\(\)|process\.|console\.|require\(/, `${file} stays pure`)
  }
})
