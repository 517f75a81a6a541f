// Server-rendered HTML for the web surfaces (the customer area and the operator console).
// Every interpolated value is escaped unless it is already `Html` (built by `html` or `raw`), so a
// partner's or customer's text can never become markup.

const HTML_BRAND = Symbol('html')

export interface Html {
  readonly [HTML_BRAND]: true
  readonly text: string
}

const make = (text: string): Html => ({ [HTML_BRAND]: true, text })

export const isHtml = (value: unknown): value is Html =>
  typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[HTML_BRAND] === true

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Escapes text for an element's content or a quoted attribute value. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c)

type Interpolation = Html | string | number | boolean | null | undefined | readonly Interpolation[]

const render = (value: Interpolation): string => {
  if (value === null || value === undefined || value === false) return ''
  if (Array.isArray(value)) return value.map(render).join('')
  if (isHtml(value)) return value.text
  return escapeHtml(String(value))
}

/** `html\`<p>${name}</p>\``: a fragment with every value escaped; arrays are joined; null, undefined and false render nothing. */
export const html = (strings: TemplateStringsArray, ...values: Interpolation[]): Html =>
  make(strings.reduce((out, s, i) => out + s + (i < values.length ? render(values[i] as Interpolation) : ''), ''))

/** Markup we wrote ourselves (never a value from outside) taken as it is. */
export const raw = (text: string): Html => make(text)

/** The document as a string, with its doctype. */
export const documentText = (body: Html): string => `<!doctype html>\n${body.text}`
