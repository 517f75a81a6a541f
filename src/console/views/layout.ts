import { documentText, html, type Html } from '../../web/html.js'

export const NAV: readonly { path: string; label: string }[] = [
  { path: '/console/', label: 'Overview' },
  { path: '/console/partners', label: 'Partners' },
  { path: '/console/cdrs', label: 'Unrated CDRs' },
  { path: '/console/disputes', label: 'Disputes' },
  { path: '/console/jobs', label: 'Jobs' },
  { path: '/console/invoices', label: 'Invoice runs' },
  { path: '/console/charts', label: 'Charts' },
]

const head = (title: string) =>
  html`<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} · eMSP console</title><link rel="stylesheet" href="/console/assets/console.css"></head>`

export interface Flash {
  kind: 'info' | 'error'
  text: string
}

const flashBox = (flash: Flash | undefined) =>
  flash
    ? html`<p class="flash${flash.kind === 'error' ? ' error' : ''}" role="${flash.kind === 'error' ? 'alert' : 'status'}">${flash.text}</p>`
    : html``

/** A signed-in page: navigation (the current page marked), sign-out form, one h1, the body. */
export const page = (o: { title: string; current: string; csrf: string; body: Html; flash?: Flash }): string =>
  documentText(html`<html lang="en">${head(o.title)}<body>
<a class="skip" href="#main">Skip to content</a>
<header>
  <span class="brand">BMW Charging eMSP · console</span>
  <nav aria-label="Console"><ul>${NAV.map((n) => html`<li><a href="${n.path}"${n.path === o.current ? html` aria-current="page"` : html``}>${n.label}</a></li>`)}</ul></nav>
  <form method="post" action="/console/logout" class="inline"><input type="hidden" name="_csrf" value="${o.csrf}"><button type="submit" class="secondary">Sign out</button></form>
</header>
<main id="main" tabindex="-1"><h1>${o.title}</h1>${flashBox(o.flash)}${o.body}</main>
</body></html>`)

/** A page outside a session (sign-in, errors before sign-in): no navigation. */
export const bare = (o: { title: string; body: Html; flash?: Flash }): string =>
  documentText(html`<html lang="en">${head(o.title)}<body>
<header><span class="brand">BMW Charging eMSP · console</span></header>
<main id="main" tabindex="-1"><h1>${o.title}</h1>${flashBox(o.flash)}${o.body}</main>
</body></html>`)

/** The sign-in form: the admin token, exchanged for a session cookie. */
export const loginPage = (o: { csrf: string; next: string; error?: string; closed?: boolean }): string =>
  bare({
    title: 'Sign in',
    flash: o.closed
      ? { kind: 'error', text: 'The console is closed: the service runs without ADMIN_TOKEN.' }
      : o.error
        ? { kind: 'error', text: o.error }
        : undefined,
    body: html`<form method="post" action="/console/login" class="login">
  <input type="hidden" name="_csrf" value="${o.csrf}"><input type="hidden" name="next" value="${o.next}">
  <label for="token">Admin token</label>
  <input id="token" name="token" type="password" autocomplete="current-password" required maxlength="512" aria-describedby="token-help">
  <p id="token-help" class="muted">The ADMIN_TOKEN the service runs with. Signing in needs HTTPS (or localhost): the session cookie is Secure.</p>
  <button type="submit">Sign in</button>
</form>`,
  })

/** An error as a page (4xx with what was wrong; 5xx without internals). */
export const errorPage = (o: { status: number; title: string; message: string; signedIn?: { csrf: string } }): string => {
  const body = html`<p>${o.message}</p><p><a href="/console/">Back to the overview</a></p>`
  return o.signedIn ? page({ title: o.title, current: '', csrf: o.signedIn.csrf, body }) : bare({ title: o.title, body })
}
