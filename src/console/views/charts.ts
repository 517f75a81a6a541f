// Server-rendered SVG charts: bars per x label, stacked when there are several series. Each chart
// is an image with a title and a description for screen readers, a legend, and its numbers in a
// table under a disclosure, so nothing is only in the picture. Geometry uses floats; values shown
// as text are the exact strings given.
import { html, type Html } from '../../web/html.js'
import { PALETTE } from './styles.js'

export interface Series {
  name: string
  values: number[]
  /** Exact text per value for the table (default: the number). */
  labels?: string[]
}

export interface BarChart {
  id: string
  title: string
  description: string
  xLabels: string[]
  series: Series[]
  unit: string
}

const W = 720
const H = 260
const PAD = { left: 56, right: 12, top: 12, bottom: 40 }

/** 0 plus a "nice" top value (1, 2, 2.5, 5 × 10^n) at least `max`. */
export const niceMax = (max: number): number => {
  if (max <= 0) return 1
  const exp = 10 ** Math.floor(Math.log10(max))
  return ([1, 2, 2.5, 5, 10].find((m) => m * exp >= max) ?? 10) * exp
}

const fmt = (n: number) => String(Number(n.toFixed(2)))

/** Bars per x label (stacked series), with y ticks at 0, ½ and the top; negative totals draw below the axis. */
export const barChart = (c: BarChart): Html => {
  const n = c.xLabels.length
  const totals = c.xLabels.map((_, i) => c.series.reduce((s, x) => s + Math.max(0, x.values[i] ?? 0), 0))
  const lows = c.xLabels.map((_, i) => c.series.reduce((s, x) => s + Math.min(0, x.values[i] ?? 0), 0))
  const top = niceMax(Math.max(0, ...totals))
  const bottom = Math.min(0, ...lows) < 0 ? -niceMax(-Math.min(...lows)) : 0
  const plotW = W - PAD.left - PAD.right
  const plotH = H - PAD.top - PAD.bottom
  const y = (v: number) => PAD.top + ((top - v) / (top - bottom)) * plotH
  const slot = plotW / Math.max(1, n)
  const barW = Math.max(1, slot * 0.7)
  const bars: Html[] = []
  c.xLabels.forEach((_, i) => {
    let up = 0
    let down = 0
    c.series.forEach((s, k) => {
      const v = s.values[i] ?? 0
      if (v === 0) return
      const from = v > 0 ? up : down
      const to = from + v
      if (v > 0) up = to
      else down = to
      const x = PAD.left + i * slot + (slot - barW) / 2
      bars.push(
        html`<rect x="${x.toFixed(1)}" y="${Math.min(y(from), y(to)).toFixed(1)}" width="${barW.toFixed(1)}" height="${Math.abs(y(from) - y(to)).toFixed(1)}" fill="${PALETTE[k % PALETTE.length]!}"><title>${s.name} ${c.xLabels[i]!}: ${s.labels?.[i] ?? fmt(v)} ${c.unit}</title></rect>`,
      )
    })
  })
  const ticks = [...new Set([bottom, 0, top / 2, top])]
  const every = Math.max(1, Math.ceil(n / 8))
  const xTicks = c.xLabels.map((label, i) =>
    i % every === 0
      ? html`<text x="${(PAD.left + i * slot + slot / 2).toFixed(1)}" y="${H - PAD.bottom + 16}" text-anchor="middle" font-size="11" fill="#333">${label.includes('T') ? label.slice(11, 16) : label.slice(5)}</text>`
      : html``,
  )
  return html`<figure>
<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="${c.id}-title ${c.id}-desc" xmlns="http://www.w3.org/2000/svg">
<title id="${c.id}-title">${c.title}</title><desc id="${c.id}-desc">${c.description}</desc>
${ticks.map((t) => html`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="${t === 0 ? '#333' : '#d0d4d9'}" stroke-width="1"/><text x="${PAD.left - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end" font-size="11" fill="#333">${fmt(t)}</text>`)}
${bars}${xTicks}
<text x="${PAD.left}" y="${H - 6}" font-size="11" fill="#333">${c.unit}</text>
</svg>
<figcaption>${legend(c.series)}${dataTable(c)}</figcaption>
</figure>`
}

const legend = (series: Series[]) =>
  series.length > 1
    ? html`<ul class="legend">${series.map((s, k) => html`<li><svg class="swatch" viewBox="0 0 10 10" aria-hidden="true"><rect width="10" height="10" fill="${PALETTE[k % PALETTE.length]!}"/></svg>${s.name}</li>`)}</ul>`
    : html``

const dataTable = (
  c: BarChart,
) => html`<details><summary>${c.title}: the numbers</summary><div class="scroll" tabindex="0" role="region" aria-label="${c.title} (${c.unit})"><table>
<caption>${c.title} (${c.unit})</caption>
<thead><tr><th scope="col">${c.xLabels.length && c.xLabels[0]!.includes('T') ? 'Hour (UTC)' : 'Day (UTC)'}</th>${c.series.map((s) => html`<th scope="col" class="num">${s.name}</th>`)}</tr></thead>
<tbody>${c.xLabels.map((label, i) => html`<tr><th scope="row">${label}</th>${c.series.map((s) => html`<td class="num">${s.labels?.[i] ?? fmt(s.values[i] ?? 0)}</td>`)}</tr>`)}</tbody>
</table></div></details>`
