/** The console's one stylesheet (served at /console/assets/console.css; no inline styles, so the CSP needs none). */
export const CONSOLE_CSS = `
:root { --fg: #1a1a1a; --muted: #555; --bg: #fff; --line: #d0d4d9; --accent: #0653b6; --bad: #a4000f; --warn: #7a4b00; --ok: #0b6b2b; --soft: #f3f5f7; }
* { box-sizing: border-box; }
html { font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
body { margin: 0; }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, summary:focus-visible, main:focus-visible { outline: 3px solid #f2a900; outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: var(--bg); padding: .5rem; }
.skip:focus { left: .5rem; }
header { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1rem; padding: .75rem 1rem; border-bottom: 1px solid var(--line); background: var(--soft); }
header .brand { font-weight: 700; margin-right: auto; }
nav ul { display: flex; flex-wrap: wrap; gap: .25rem .75rem; list-style: none; margin: 0; padding: 0; }
nav a[aria-current="page"] { font-weight: 700; color: var(--fg); text-decoration-thickness: 3px; }
main { padding: 1rem; max-width: 80rem; }
h1 { font-size: 1.5rem; margin: 0 0 1rem; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 .5rem; }
h3 { font-size: 1rem; margin: 1rem 0 .25rem; }
.scroll { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; margin: .5rem 0 1rem; min-width: 100%; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { text-align: left; vertical-align: top; padding: .35rem .5rem; border-bottom: 1px solid var(--line); }
th { background: var(--soft); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(11rem, 1fr)); gap: .75rem; list-style: none; padding: 0; margin: 0 0 1rem; }
.cards a { display: block; padding: .75rem; border: 1px solid var(--line); border-radius: .4rem; text-decoration: none; color: var(--fg); }
.cards .n { display: block; font-size: 1.75rem; font-weight: 700; }
.bad { color: var(--bad); }
.warn { color: var(--warn); }
.ok { color: var(--ok); }
.badge { display: inline-block; padding: 0 .4rem; border: 1px solid currentColor; border-radius: .3rem; font-size: .85rem; }
.muted { color: var(--muted); }
.flash { padding: .5rem .75rem; border-left: 4px solid var(--accent); background: var(--soft); margin: 0 0 1rem; }
.error { border-left-color: var(--bad); }
form.inline { display: inline; }
button { font: inherit; padding: .3rem .8rem; border: 1px solid var(--accent); background: var(--accent); color: #fff; border-radius: .3rem; cursor: pointer; }
button.secondary { background: var(--bg); color: var(--accent); }
label { display: block; font-weight: 600; margin: .5rem 0 .25rem; }
input, select { font: inherit; padding: .35rem; border: 1px solid #767676; border-radius: .3rem; max-width: 100%; }
.filters { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: end; margin-bottom: .5rem; }
.pager { display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; }
pre { white-space: pre-wrap; word-break: break-word; background: var(--soft); padding: .5rem; margin: .25rem 0; max-width: 40rem; }
details summary { cursor: pointer; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: .5rem 0; }
dt { font-weight: 600; }
dd { margin: 0; overflow-wrap: anywhere; }
svg.chart { width: 100%; max-width: 60rem; height: auto; display: block; }
.legend { display: flex; flex-wrap: wrap; gap: .25rem 1rem; list-style: none; padding: 0; margin: .25rem 0; }
.swatch { width: .9rem; height: .9rem; margin-right: .3rem; vertical-align: -.1rem; }
.login { max-width: 26rem; }
.login input { width: 100%; }
@media (max-width: 40rem) { main { padding: .75rem; } dl { grid-template-columns: 1fr; } }
`

/** Series colours (distinguishable, legible on white); the legend and the data tables name each series too. */
export const PALETTE = ['#0653b6', '#c05600', '#2e7d32', '#8e24aa', '#00838f', '#ad1457', '#5d4037', '#455a64']
