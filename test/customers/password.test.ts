// Passwords (src/customers/password.ts): the parameters travel with each hash, so a hash made at a lower
// cost still verifies after the cost is raised, and is flagged for a rehash at the next login.
import t from 'tap'
import { createPasswordHasher } from '../../src/customers/password.js'

t.test('a hash verifies its password only, at the parameters stored with it', async (t) => {
  const low = createPasswordHasher(10)
  const high = createPasswordHasher(12)
  const hash = await low.hash('correct horse battery staple')
  t.match(hash, /^scrypt\$1024\$8\$1\$[\w-]{22}\$[\w-]{43}$/)
  t.ok(await low.verify('correct horse battery staple', hash))
  t.ok(await high.verify('correct horse battery staple', hash), 'a raised cost still reads older hashes')
  t.notOk(await low.verify('correct horse battery stapler', hash))
  t.notOk(await low.verify('x', 'bcrypt$whatever'), 'an unknown scheme never matches')
  t.notOk(await low.verify('', low.dummyHash), 'nobody matches the dummy hash')
})

t.test("a hash weaker than today's cost needs a rehash", async (t) => {
  const low = createPasswordHasher(10)
  const high = createPasswordHasher(12)
  const hash = await low.hash('pw')
  t.ok(high.needsRehash(hash))
  t.notOk(low.needsRehash(hash))
  t.notOk(low.needsRehash(await high.hash('pw')))
})
