// The import directions of src/ (issue 19): a scan of every relative import, checked against the rules
// below. KNOWN lists the imports that still break a rule; the test fails on a new breach, and on a
// listed one that is gone (so the list only shrinks). The rules are the ones the root README states.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'

const src = fileURLToPath(new URL('../../src', import.meta.url))

/** Infrastructure: libraries every module may use; they use no product module. */
const INFRA = new Set(['platform', 'db', 'jobs', 'i18n', 'web', 'config.ts'])
/** The composition root wires everything and may import anything. */
const ROOT = new Set(['app.ts', 'server.ts'])
/** What the catalog may import besides itself and infrastructure: it is the product's bottom layer (data). */
const CATALOG_MAY_USE = new Set(['pricing'])
/** What `pricing` may import besides itself: it is pure. */
const PRICING_PACKAGES = new Set(['decimal.js'])

interface Edge {
  from: string
  to: string
}

const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : []
  })

const edges: Edge[] = []
const packages: Edge[] = []
for (const file of files(src)) {
  const text = readFileSync(file, 'utf8')
  for (const m of text.matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s+['"]([^'"]+)['"]/gm)) {
    const spec = m[1]!
    const from = relative(src, file)
    if (spec.startsWith('.')) edges.push({ from, to: relative(src, resolve(dirname(file), spec)).replace(/\.js$/, '.ts') })
    else packages.push({ from, to: spec })
  }
}

/** The module a path belongs to: its first folder, or an OCPI module as `ocpi/<name>`. */
const moduleOf = (path: string) => {
  const parts = path.split('/')
  if (parts[0] === 'ocpi' && parts.length > 2) return `ocpi/${parts[1]}`
  return parts[0]!
}
/** A module's entry: its index.ts (the OCPI adapter's own top-level files, surface.ts and intake.ts, are entries too). */
const isEntry = (module: string, path: string) =>
  path === `${module}/index.ts` || (module === 'ocpi' && !relative('ocpi', path).includes('/'))

const breaches = new Set<string>()
for (const e of edges) {
  const a = moduleOf(e.from)
  const b = moduleOf(e.to)
  if (a === b || ROOT.has(a)) continue
  const top = (m: string) => m.split('/')[0]!
  if (top(a) === 'pricing' && top(b) !== 'pricing') breaches.add(`pricing is pure: ${e.from} -> ${e.to}`)
  if (INFRA.has(top(a)) && !INFRA.has(top(b))) breaches.add(`infrastructure uses no product module: ${e.from} -> ${e.to}`)
  if (top(a) === 'catalog' && !INFRA.has(top(b)) && !CATALOG_MAY_USE.has(top(b)))
    breaches.add(`the catalog uses no other product module: ${e.from} -> ${e.to}`)
  if (top(a) === 'ocpi' && !INFRA.has(top(b)) && top(b) !== 'ocpi' && top(b) !== 'pricing')
    breaches.add(`ocpi reaches the product only through its ports: ${e.from} -> ${e.to}`)
  if (b === 'ocpi/v221' && top(a) === 'ocpi') continue
  if (!INFRA.has(top(b)) && !isEntry(b, e.to)) breaches.add(`through index.ts: ${e.from} -> ${e.to}`)
}
for (const p of packages) {
  if (moduleOf(p.from) === 'pricing' && !PRICING_PACKAGES.has(p.to)) breaches.add(`pricing is pure: ${p.from} -> ${p.to}`)
}

if (process.env.PRINT_BREACHES) console.log(JSON.stringify([...breaches].sort(), null, 2))

/**
 * The imports that still break a rule. Empty since issue 19 was done (rating read OCPI wire types,
 * tokens read the contract rules directly, OCPI modules read each other's files); nothing may be added.
 */
const KNOWN: string[] = []

t.test('no new breach of the import rules', async (t) => {
  const added = [...breaches].filter((b) => !KNOWN.includes(b)).sort()
  t.same(added, [], 'imports that break a rule (fix the import, or use the module index.ts)')
})

t.test('the known breaches are all still there (remove the fixed ones from KNOWN)', async (t) => {
  const gone = KNOWN.filter((b) => !breaches.has(b))
  t.same(gone, [])
})

t.test('the scan sees the imports (a sanity check on the scanner itself)', async (t) => {
  t.ok(edges.length > 300, `${edges.length} relative imports`)
  t.ok(edges.some((e) => e.from === 'app.ts'))
})
