// The engine is pure: it imports only decimal.js, its own files, the catalog's and the pure pricing
// core's public surfaces (never fastify, drizzle, zod, undici, node: modules or other areas), and
// reads no clock or environment. The catalog's own purity: test/catalog/purity.test.ts.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'

const ROOTS = ['src/rating/engine']
const files = ROOTS.flatMap((root) =>
  readdirSync(root)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(root, f)),
)

t.test('imports', async (t) => {
  t.ok(files.length > 10, 'the engine files are found')
  for (const file of files) {
    const source = readFileSync(file, 'utf8')
    const specifiers = [...source.matchAll(/^\s*(?:import|export)[^'"]*?from\s+'([^']+)'/gm)].map((m) => m[1]!)
    for (const spec of specifiers) {
      // The pricing core and the catalog are pure too (their own tests); rating uses their public surfaces.
      const allowed =
        spec === 'decimal.js' ||
        spec.startsWith('./') ||
        spec.startsWith('../engine/') ||
        spec === '../../catalog/index.js' ||
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
