// The engine and the catalog are pure: they import only decimal.js, files of src/rating and the pure
// pricing core's public surface (never fastify, drizzle, zod, undici, node: modules or other areas),
// and read no clock or environment.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'

const ROOTS = ['src/rating/engine', 'src/rating/catalog']
const files = ROOTS.flatMap((root) =>
  readdirSync(root)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(root, f)),
)

t.test('imports', async (t) => {
  t.ok(files.length > 10, 'the engine and catalog files are found')
  for (const file of files) {
    const source = readFileSync(file, 'utf8')
    const specifiers = [...source.matchAll(/^\s*(?:import|export)[^'"]*?from\s+'([^']+)'/gm)].map((m) => m[1]!)
    for (const spec of specifiers) {
      // The pricing core is pure too (its own architecture test); rating may use its public surface.
      const allowed =
        spec === 'decimal.js' ||
        spec.startsWith('./') ||
        spec.startsWith('../catalog/') ||
        spec.startsWith('../engine/') ||
        spec === '../../pricing/index.js'
      t.ok(allowed, `${file} imports ${spec}`)
    }
  }
})

t.test('no clock, environment, console or I/O', async (t) => {
  for (const file of files) {
    const source = readFileSync(file, 'utf8')
    t.notMatch(source, /Date\.now\(|new Date\(\)|process\.|console\.|require\(/, `${file} stays pure`)
  }
})
