// describeZodError: the one-line-per-issue text used as the OCPI 2001 status_message.
import t from 'tap'
import { z } from 'zod'
import { ocpiEnum } from '../../../src/ocpi/v221/common.schema.js'
import { describeZodError, describeZodIssues, formatPath } from '../../../src/ocpi/v221/validation.js'

const errorOf = (schema: z.ZodType, value: unknown): z.ZodError => {
  const result = schema.safeParse(value)
  if (result.success) throw new Error('expected a refusal')
  return result.error
}

t.test('paths: keys joined by dots, indexes in brackets', async (t) => {
  t.equal(formatPath([]), '(root)')
  t.equal(formatPath(['evses', 0, 'connectors', 1, 'power_type']), 'evses[0].connectors[1].power_type')
  t.equal(formatPath([2, 'version']), '[2].version')
  t.equal(formatPath(['elements', 0, 'price_components', 10]), 'elements[0].price_components[10]')
})

t.test('bounds on numbers and arrays', async (t) => {
  const schema = z.object({
    weekday: z.int().min(1).max(7),
    positive: z.number().gt(0),
    list: z.array(z.string()).min(2).max(3),
  })
  t.equal(
    describeZodError(errorOf(schema, { weekday: 8, positive: 0, list: ['a'] })),
    'weekday: must be at most 7\npositive: must be above 0\nlist: must have at least 2 items',
  )
  t.equal(
    describeZodError(errorOf(schema, { weekday: 0, positive: 1, list: ['a', 'b', 'c', 'd'] })),
    'weekday: must be at least 1\nlist: must have at most 3 items',
  )
})

t.test('enums: missing and null are named, small enums are listed', async (t) => {
  const schema = z.object({ role: ocpiEnum(['SENDER', 'RECEIVER']), one: ocpiEnum(['ONLY']) })
  t.equal(describeZodError(errorOf(schema, {})), 'role: required\none: required')
  t.equal(describeZodError(errorOf(schema, { role: null, one: 'OTHER' })), 'role: must not be null\none: must be ONLY')
  t.equal(describeZodError(errorOf(schema, { role: 'sender', one: 'ONLY' })), 'role: must be one of SENDER, RECEIVER')
})

t.test('unions: the common problem, or a generic one', async (t) => {
  const schema = z.object({ id: z.union([z.int(), z.string().regex(/^[a-z]+$/)]) })
  t.equal(describeZodError(errorOf(schema, {})), 'id: required')
  t.equal(describeZodError(errorOf(schema, { id: true })), 'id: does not match any allowed form')
})

t.test('custom messages from refinements are kept', async (t) => {
  const schema = z.object({ a: z.string().refine((s) => s.startsWith('x'), { error: 'must start with x' }) })
  t.equal(describeZodError(errorOf(schema, { a: 'y' })), 'a: must start with x')
})

t.test('long issue lists are cut after 20 lines', async (t) => {
  const error = errorOf(
    z.array(z.string()),
    Array.from({ length: 25 }, (_, i) => i),
  )
  const lines = describeZodError(error).split('\n')
  t.equal(lines.length, 21)
  t.equal(lines[0], '[0]: expected string, got number')
  t.equal(lines[19], '[19]: expected string, got number')
  t.equal(lines[20], '... and 5 more')
  t.equal(describeZodIssues(error.issues), describeZodError(error), 'same text from the bare issues')
})
