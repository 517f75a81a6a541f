// Reading and checking the customer area's forms. A schema's messages are catalog keys, so every
// refusal becomes a sentence in the visitor's language next to its field.
import { z } from 'zod'
import { errorSummary } from '../web/form.js'
import type { Html } from '../web/html.js'
import type { MsgKey } from './catalog.js'
import type { PageContext } from './context.js'

export type FormBody = Record<string, string>
export type FieldErrors = Partial<Record<string, MsgKey>>

/** The submitted fields as strings (the first value of a repeated field); anything else is dropped. */
export const formBody = (body: unknown): FormBody => {
  const out: FormBody = {}
  if (!body || typeof body !== 'object') return out
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    const first = Array.isArray(v) ? v[0] : v
    if (typeof first === 'string') out[k] = first
  }
  return out
}

export type Checked<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors }

/** Runs a schema over a form; each refused field gets its first message (a catalog key). */
export const check = <S extends z.ZodType>(schema: S, body: FormBody): Checked<z.infer<S>> => {
  const parsed = schema.safeParse(body)
  if (parsed.success) return { ok: true, data: parsed.data }
  const errors: FieldErrors = {}
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? '_form')
    if (errors[field]) continue
    // A field missing from the form is an empty one.
    errors[field] = (
      issue.code === 'invalid_type' ? 'err.required' : issue.message.startsWith('err.') ? issue.message : 'err.invalid'
    ) as MsgKey
  }
  return { ok: false, errors }
}

/** The message of a field in the page's language. */
export const errorOf = (ctx: PageContext, errors: FieldErrors | undefined, field: string, values?: Record<string, string | number>) => {
  const key = errors?.[field]
  return key ? ctx.t(key, values) : undefined
}

/** The summary at the top of a refused form, fields in the order the form shows them. */
export const summaryOf = (ctx: PageContext, errors: FieldErrors | undefined, order: readonly string[]): Html =>
  errorSummary(
    ctx.t('form.errorSummary'),
    order.flatMap((name) => (errors?.[name] ? [{ name, message: ctx.t(errors[name]!) }] : [])),
  )

// Field rules shared by several forms.
const text = (max: number) => z.string().trim().min(1, 'err.required').max(max, 'err.tooLong')
const optional = z.string().default('')
export const field = {
  text,
  email: z.string().trim().min(1, 'err.required').max(254, 'err.tooLong').pipe(z.email('err.email')),
  password: z.string().min(10, 'err.passwordShort').max(200, 'err.tooLong'),
  postalCode: z
    .string()
    .trim()
    .min(1, 'err.required')
    .regex(/^[A-Za-z0-9][A-Za-z0-9 -]{1,9}$/, 'err.postalCode'),
  phone: optional
    .transform((s) => s.trim())
    .refine((s) => s === '' || /^\+?[0-9][0-9 ()/.-]{5,24}$/.test(s), 'err.phone')
    .transform((s) => s || null),
  /** ISO 3166-1 alpha-2 from a select. */
  country: (allowed: readonly string[]) => z.string().refine((c) => allowed.includes(c), 'err.choose'),
  day: z
    .string()
    .trim()
    .min(1, 'err.required')
    .refine(
      (d) =>
        /^\d{4}-\d{2}-\d{2}$/.test(d) &&
        !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) &&
        new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
      'err.date',
    ),
  checkbox: optional.transform((v) => v === 'yes'),
  optional,
}
