// Helpers for the schema tests: where the spec example copies live and how to read them.
import { readFileSync, readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

export const FIXTURES_DIR = fileURLToPath(new URL('../../fixtures/ocpi/', import.meta.url))
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url))

/** Parses one example, e.g. `locations/location_example.json`. */
export function readExample(file: string): unknown {
  return JSON.parse(readFileSync(join(FIXTURES_DIR, file), 'utf8'))
}

/** Every file below `dir`, as paths relative to `dir` with `/` separators. */
export function listFiles(dir: string): string[] {
  const out: string[] = []
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = join(current, entry.name)
      if (entry.isDirectory()) walk(full)
      else out.push(relative(dir, full).split('\\').join('/'))
    }
  }
  walk(dir)
  return out.sort()
}
