// The customer area's one stylesheet (served at /portal/assets/portal.css, cached). Contrast is at
// least 4.5:1 everywhere (WCAG AA), focus is always visible, and the layout is one column below
// 40 rem (phones), with nothing wider than the screen.
export const PORTAL_CSS = `
:root { --blue: #0653b6; --blue-dark: #043f8a; --ink: #1a1a1a; --muted: #4a4a4a; --line: #c4c4c4; --bg: #f4f6f8; --error: #b00020; --ok: #1b5e20; }
* { box-sizing: border-box; }
html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; font-size: 100%; color: var(--ink); background: #fff; line-height: 1.5; }
body { margin: 0; }
a { color: var(--blue); }
a:hover { color: var(--blue-dark); }
:focus-visible { outline: 3px solid #ffbf47; outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: #fff; padding: .5rem 1rem; z-index: 10; }
.skip:focus { left: 0; }
.visually-hidden { position: absolute !important; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
header.top { background: var(--ink); color: #fff; }
header.top .bar { max-width: 64rem; margin: 0 auto; padding: .75rem 1rem; display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; align-items: center; }
header.top a { color: #fff; }
.brand { font-weight: 700; font-size: 1.15rem; text-decoration: none; margin-right: auto; }
nav.main ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: .25rem 1rem; }
nav.main a { text-decoration: none; padding: .25rem 0; display: inline-block; border-bottom: 2px solid transparent; }
nav.main a[aria-current="page"], nav.main a:hover { border-bottom-color: #fff; }
nav.main form { display: inline; }
nav.main button { background: none; border: 0; color: #fff; font: inherit; padding: .25rem 0; cursor: pointer; text-decoration: underline; }
.languages { display: flex; gap: .5rem; font-size: .9rem; }
.languages a[aria-current="true"] { font-weight: 700; text-decoration: none; }
main { max-width: 64rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
h1 { font-size: 1.75rem; line-height: 1.25; margin: 0 0 1rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .75rem; }
h3 { font-size: 1.1rem; margin: 1.25rem 0 .5rem; }
.lead { font-size: 1.1rem; color: var(--muted); }
.panel { border: 1px solid var(--line); border-radius: 6px; padding: 1rem 1.25rem; margin: 1rem 0; background: #fff; }
.panel > :first-child { margin-top: 0; }
form.wide { max-width: none; }
fieldset .choice:has(.choice-description) { border: 1px solid var(--line); border-radius: 6px; padding: .75rem 1rem; margin: .75rem 0; }
.notice { border-left: 6px solid var(--ok); background: #eef6ee; padding: .75rem 1rem; margin: 0 0 1.25rem; }
.notice-error { border-left-color: var(--error); background: #fbeeee; }
.error-summary { border: 3px solid var(--error); padding: .75rem 1rem; margin: 0 0 1.5rem; }
.error-summary h2 { margin: 0 0 .5rem; font-size: 1.1rem; }
.error-summary a { color: var(--error); font-weight: 600; }
form.stack { max-width: 36rem; }
.field { margin: 0 0 1.25rem; border: 0; padding: 0; }
.field > label, legend { display: block; font-weight: 600; margin-bottom: .25rem; }
.hint { color: var(--muted); margin: 0 0 .35rem; font-size: .95rem; }
.error { color: var(--error); font-weight: 600; margin: 0 0 .35rem; }
.field-error > input, .field-error > select, .field-error.choice input { border-color: var(--error); border-width: 2px; }
.field-error { border-left: 4px solid var(--error); padding-left: .75rem; }
input[type=text], input[type=email], input[type=password], input[type=tel], input[type=date], input[type=search], select {
  width: 100%; max-width: 100%; font: inherit; padding: .5rem .6rem; border: 1px solid #6b6b6b; border-radius: 4px; background: #fff; color: var(--ink); }
.choice { display: flex; flex-wrap: wrap; align-items: flex-start; gap: .5rem; margin: .35rem 0; }
.choice input { width: 1.35rem; height: 1.35rem; margin: .1rem 0 0; flex: none; }
.choice > label { flex: 1 1 0; min-width: 12rem; font-weight: 400; }
.choice-description { flex-basis: 100%; margin-left: 1.85rem; color: var(--muted); }
button, .button { display: inline-block; font: inherit; font-weight: 600; padding: .6rem 1.2rem; border-radius: 4px; border: 2px solid var(--blue); background: var(--blue); color: #fff; cursor: pointer; text-decoration: none; }
button:hover, .button:hover { background: var(--blue-dark); border-color: var(--blue-dark); color: #fff; }
button.secondary, .button.secondary { background: #fff; color: var(--blue); }
button.secondary:hover, .button.secondary:hover { background: #e8eef8; color: var(--blue-dark); }
button.danger { background: var(--error); border-color: var(--error); }
.actions { display: flex; flex-wrap: wrap; gap: .75rem; align-items: center; margin-top: 1.5rem; }
dl.facts { display: grid; grid-template-columns: minmax(10rem, max-content) 1fr; gap: .35rem 1.5rem; margin: 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .5rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; }
.badge { display: inline-block; padding: .1rem .5rem; border-radius: 999px; font-size: .9rem; font-weight: 600; border: 1px solid currentColor; }
.badge-ok { color: var(--ok); }
.badge-warn { color: #8a4b00; }
.badge-bad { color: var(--error); }
.download { font-size: 1.2rem; text-decoration: none; padding: .2rem .5rem; }
.steps { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .25rem 1rem; color: var(--muted); margin: 0 0 1.5rem; }
.steps [aria-current="step"] { color: var(--ink); font-weight: 700; }
.prices { margin: .5rem 0 0; padding-left: 1.1rem; }
.station { border-top: 1px solid var(--line); padding: 1rem 0; }
.station h3 { margin: 0 0 .25rem; }
.meta { color: var(--muted); margin: .15rem 0; }
footer.bottom { border-top: 1px solid var(--line); color: var(--muted); font-size: .9rem; }
footer.bottom div { max-width: 64rem; margin: 0 auto; padding: 1rem; }
@media (max-width: 40rem) {
  dl.facts { grid-template-columns: 1fr; }
  dl.facts dd { margin-bottom: .5rem; }
  h1 { font-size: 1.45rem; }
  .actions { flex-direction: column; align-items: stretch; }
  .actions .button, .actions button { text-align: center; }
  table.responsive thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  table.responsive tr { display: block; border-bottom: 1px solid var(--line); padding: .5rem 0; }
  table.responsive td { display: flex; justify-content: space-between; gap: 1rem; border: 0; padding: .2rem 0; text-align: right; }
  table.responsive td::before { content: attr(data-label); font-weight: 600; text-align: left; }
}
`
