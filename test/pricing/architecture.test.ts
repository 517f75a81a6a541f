// The pricing core is pure (STYLE.md rule 1): it imports only decimal.js and its own files, never
// reads `process` and never reads the clock.
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import t from 'tap'

const ROOT = join(import.meta.dirname, '..', '..', 'src', 'pricing')

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  )
}

/** Every module specifier: static imports/exports (also multi-line and type-only) and dynamic import(). */
export function specifiers(source: string): string[] {
  const found: string[] = []
  for (const match of source.matchAll(/^\s*(?:import|export)\b[^;'"]*?\bfrom\s*['"]([^'"]+)['"]/gms)) found.push(match[1]!)
  for (const match of source.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm)) found.push(match[1]!)
  for (const match of source.matchAll(/\bimport\s*\(\s*['"`]([^'"`]+)['"`]/g)) found.push(match[1]!)
  for (const match of source.matchAll(/\brequire\s*\(/g)) found.push(`require(${match.index})`)
  return found
}

const files = sourceFiles(ROOT)
t.ok(files.length >= 15, `found ${files.length} files under src/pricing`)

/** Comments may mention anything; only code is checked for process/clock use. */
const code = (source: string): string => source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1')

for (const file of files) {
  const source = readFileSync(file, 'utf8')
  const body = code(source)
  const name = relative(ROOT, file)
  t.test(name, async (t) => {
    for (const spec of specifiers(source)) {
      const allowed = spec === 'decimal.js' || (spec.startsWith('./') && !spec.includes('..'))
      t.ok(allowed, `imports only decimal.js or its own files: ${spec}`)
    }
    t.notMatch(body, /\bprocess\b/, 'does not touch process')
    t.notMatch(body, /\bDate\.now\b/, 'does not read the clock (Date.now)')
    t.notMatch(body, /new Date\(\s*\)/, 'does not read the clock (new Date())')
    t.notMatch(body, /\bperformance\b|\bconsole\b/, 'no timers or logging')
  })
}

t.test('the checks themselves catch what they must', async (t) => {
  t.match(code('const x = process.env.A // process'), /\bprocess\b/)
  t.notMatch(code('/** process */ const x = 1 // process'), /\bprocess\b/)
  t.same(
    specifiers(
      "import { a } from 'fastify'\nimport type {\n  B,\n} from '../db/x.js'\nexport * from './y.js'\nimport 'zod'\nconst m = await import('undici')",
    ),
    ['fastify', '../db/x.js', './y.js', 'zod', 'undici'],
  )
})
