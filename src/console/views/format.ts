import { html, type Html } from '../../web/html.js'

/** `2026-11-20 10:00 UTC` in a <time> element carrying the exact instant. */
export const dateTime = (d: Date | null | undefined): Html =>
  d
    ? html`<time datetime="${d.toISOString()}">${d.toISOString().slice(0, 16).replace('T', ' ')} UTC</time>`
    : html`<span class="muted">never</span>`

/** A duration in words: 42 s, 5 min, 3 h 10 min, 2 d 4 h. */
export const duration = (seconds: number): string => {
  const s = Math.max(0, Math.round(seconds))
  if (s < 120) return `${s} s`
  if (s < 7200) return `${Math.round(s / 60)} min`
  if (s < 172_800) return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`
  return `${Math.floor(s / 86_400)} d ${Math.round((s % 86_400) / 3600)} h`
}

/** "(5 min ago)" or "(in 5 min)" relative to `now` (the injected clock), after the exact time. */
export const ago = (d: Date | null | undefined, now: Date): Html => {
  if (!d) return dateTime(d)
  const s = (now.getTime() - d.getTime()) / 1000
  return html`${dateTime(d)} <span class="muted">(${s >= 0 ? `${duration(s)} ago` : `in ${duration(-s)}`})</span>`
}

/** A count that is a problem when above zero. */
export const problem = (n: number): Html => (n > 0 ? html`<span class="bad">${n}</span>` : html`${n}`)

/** Pretty JSON for <pre>. */
export const json = (value: unknown) => JSON.stringify(value, null, 2)

/** A page's query string with one value changed (links keep the other filters). */
export const withQuery = (path: string, params: Record<string, string | number | undefined>) => {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v))
  return q.size ? `${path}?${q}` : path
}

/** "Showing 1–50 of 120" with previous and next links. */
export const pager = (
  path: string,
  params: Record<string, string | number | undefined>,
  page: { offset: number; limit: number; total: number },
): Html => {
  const { offset, limit, total } = page
  if (total === 0) return html``
  const prev =
    offset > 0
      ? html`<a href="${withQuery(path, { ...params, offset: Math.max(0, offset - limit), limit })}" rel="prev">Previous ${limit}</a>`
      : html``
  const next =
    offset + limit < total
      ? html`<a href="${withQuery(path, { ...params, offset: offset + limit, limit })}" rel="next">Next ${limit}</a>`
      : html``
  return html`<nav class="pager" aria-label="Pages"><span>Showing ${Math.min(offset + 1, total)}–${Math.min(offset + limit, total)} of ${total}</span>${prev}${next}</nav>`
}
