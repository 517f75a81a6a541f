// The page shell of the customer area: skip link, the top navigation ("Invoices" among it, as the
// FAQ says), the language switch, the notice of the last action, the footer.
import { LOCALES, type Locale } from '../i18n/index.js'
import { csrfField } from '../web/form.js'
import { documentText, html, type Html } from '../web/html.js'
import type { PageContext } from './context.js'
import type { MsgKey } from './catalog.js'

export const BASE = '/portal'

/** Each language in its own name (a reader looking for theirs finds it whatever the page's language). */
const LANGUAGE_NAMES: Record<Locale, string> = { en: 'English', de: 'Deutsch', sl: 'Slovenščina', et: 'Eesti' }

export type NavItem = 'contracts' | 'invoices' | 'map' | 'account'
const NAV: readonly { item: NavItem; path: string; key: MsgKey }[] = [
  { item: 'contracts', path: `${BASE}/contracts`, key: 'nav.contracts' },
  { item: 'invoices', path: `${BASE}/invoices`, key: 'nav.invoices' },
  { item: 'map', path: `${BASE}/map`, key: 'nav.map' },
  { item: 'account', path: `${BASE}/account`, key: 'nav.account' },
]

export interface PageOptions {
  title: string
  body: Html
  /** The navigation entry this page belongs to. */
  current?: NavItem
  /** A message about the last action (after a redirect). */
  notice?: { text: string; error?: boolean }
}

const navigation = (ctx: PageContext, current?: NavItem) => {
  const { t } = ctx
  if (!ctx.customerId) {
    return html`<nav class="main" aria-label="${t('nav.label')}"><ul>
<li><a href="${BASE}/login">${t('nav.login')}</a></li>
<li><a href="${BASE}/register">${t('nav.register')}</a></li>
</ul></nav>`
  }
  return html`<nav class="main" aria-label="${t('nav.label')}"><ul>
${NAV.map((n) => html`<li><a href="${n.path}"${n.item === current ? html` aria-current="page"` : ''}>${t(n.key)}</a></li>`)}
<li><form method="post" action="${BASE}/logout">${csrfField(ctx.csrf)}<button type="submit">${t('nav.logout')}</button></form></li>
</ul></nav>`
}

const languages = (ctx: PageContext) => html`<nav class="languages" aria-label="${ctx.t('lang.label')}">
${LOCALES.map((l) => html`<a href="${BASE}/language/${l}?back=${encodeURIComponent(ctx.path)}" lang="${l}" hreflang="${l}"${l === ctx.locale ? html` aria-current="true"` : ''}>${LANGUAGE_NAMES[l]}</a>`)}
</nav>`

/** A whole document. */
export const page = (ctx: PageContext, o: PageOptions): string =>
  documentText(html`<html lang="${ctx.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title} · ${ctx.t('brand')}</title>
<link rel="stylesheet" href="${BASE}/assets/portal.css">
</head>
<body>
<a class="skip" href="#main">${ctx.t('skipToContent')}</a>
<header class="top"><div class="bar">
<a class="brand" href="${BASE}/">${ctx.t('brand')}</a>
${navigation(ctx, o.current)}
${languages(ctx)}
</div></header>
<main id="main" tabindex="-1">
${o.notice ? html`<div class="notice${o.notice.error ? ' notice-error' : ''}" role="status">${o.notice.text}</div>` : ''}
<h1>${o.title}</h1>
${o.body}
</main>
<footer class="bottom"><div>${ctx.t('footer')}</div></footer>
</body>
</html>`)
