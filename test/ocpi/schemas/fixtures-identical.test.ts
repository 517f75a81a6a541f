// The fixtures are byte copies of the shared spec examples: tests must run on the spec's
// own payloads, not on edited ones. Checked only where the shared folder is present.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { FIXTURES_DIR, REPO_ROOT, listFiles } from './fixtures.js'

const SHARED_DIR = join(REPO_ROOT, '..', 'shared', 'ocpi-examples')

t.test('fixtures equal ../shared/ocpi-examples byte for byte', { skip: !existsSync(SHARED_DIR) && `${SHARED_DIR} not present` }, async (t) => {
  const ours = listFiles(FIXTURES_DIR)
  const shared = listFiles(SHARED_DIR)
  t.strictSame(ours, shared, 'same file names in the same folders')
  for (const file of ours.filter((f) => shared.includes(f))) {
    const same = readFileSync(join(FIXTURES_DIR, file)).equals(readFileSync(join(SHARED_DIR, file)))
    t.ok(same, file)
  }
})
