// Module hooks of test/helpers/ts-loader.mjs (they run on Node's loader thread).
// - resolve: an import of './x.js' from a .ts file means './x.ts' when that exists (NodeNext's spelling).
// - load: a .ts file is transpiled by esbuild (ES module, ES2022, inline source map for stack traces),
//   or read from the cache when the same path with the same content was transpiled before.
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { transformSync, version } from 'esbuild'

const cacheDir = join(process.cwd(), 'node_modules', '.cache', 'emsp-ts')
mkdirSync(cacheDir, { recursive: true })
/** Changing how files are transpiled changes every key. */
const OPTIONS = {
  loader: 'ts',
  format: 'esm',
  target: 'es2022',
  sourcemap: 'inline',
  tsconfigRaw: { compilerOptions: { useDefineForClassFields: true, verbatimModuleSyntax: false } },
}
const salt = `${version}:${JSON.stringify(OPTIONS)}`

export async function resolve(specifier, context, next) {
  const parent = context.parentURL
  if (parent?.endsWith('.ts') && specifier.endsWith('.js') && (specifier.startsWith('./') || specifier.startsWith('../'))) {
    const url = new URL(`${specifier.slice(0, -3)}.ts`, parent)
    if (existsSync(url)) return { url: url.href, format: 'module', shortCircuit: true }
  }
  return next(specifier, context)
}

export async function load(url, context, next) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return next(url, context)
  const path = fileURLToPath(url)
  const input = readFileSync(path, 'utf8')
  const file = join(cacheDir, `${createHash('sha1').update(salt).update(path).update(input).digest('hex')}.js`)
  let source
  try {
    source = readFileSync(file, 'utf8')
  } catch {
    source = transformSync(input, { ...OPTIONS, sourcefile: path }).code
    const tmp = `${file}.${process.pid}.tmp`
    writeFileSync(tmp, source)
    renameSync(tmp, file) // atomic: parallel test processes may write the same entry
  }
  return { format: 'module', source, shortCircuit: true }
}
