// The overview, partners and charts pages.
import type { Partner } from '../../ocpi/credentials/index.js'
import { html, type Html } from '../../web/html.js'
import type { ChartData, ConsoleService } from '../console.service.js'
import { CHART_RANGES, type ChartRange } from '../console.service.js'
import { barChart } from './charts.js'
import { ago, dateTime, duration, problem } from './format.js'

type Overview = Awaited<ReturnType<ConsoleService['overview']>>
type PartnerRow = Awaited<ReturnType<ConsoleService['partners']>>[number]

const card = (href: string, n: number | string, label: string, bad = false) =>
  html`<li><a href="${href}"><span class="n${bad ? ' bad' : ''}">${n}</span>${label}</a></li>`

export const overviewBody = (o: Overview, now: Date): Html => html`
<ul class="cards">
  ${card('/console/partners', `${o.partners.registered} / ${o.partners.total}`, 'partners registered')}
  ${card('/console/charts', o.cdrsLastHour, 'CDRs received in the last hour')}
  ${card('/console/cdrs', o.unrated, 'unrated CDRs', o.unrated > 0)}
  ${card('/console/disputes', o.disputes, 'disputes', o.disputes > 0)}
  ${card('/console/jobs', o.failedJobs, 'failed jobs', o.failedJobs > 0)}
  ${card('/console/jobs?kind=retrying', o.retryingJobs, 'jobs retrying', o.retryingJobs > 0)}
  ${card('/console/partners', o.pushBacklog, 'token changes not yet delivered', o.pushBacklog > 0)}
  ${card('/console/partners', o.failedPulls, 'pulls whose last run failed', o.failedPulls > 0)}
  ${card('/console/jobs', o.worstLag ? duration(o.worstLag.seconds) : '0 s', o.worstLag ? `queue lag (${o.worstLag.queue})` : 'queue lag', (o.worstLag?.seconds ?? 0) > 300)}
</ul>
<p class="muted">Figures read ${ago(o.takenAt, now)}; they are at most 5 s old.</p>`

const stateBadge = (state: Partner['state']) =>
  html`<span class="badge ${state === 'REGISTERED' ? 'ok' : state === 'PENDING' ? 'warn' : 'muted'}">${state}</span>`

const pullsTable = (row: PartnerRow, now: Date) =>
  row.pulls.length === 0
    ? html`<p class="muted">No Sender interface to pull from.</p>`
    : html`<div class="scroll" tabindex="0" role="region" aria-label="Pulls from ${row.partner.name}"><table><caption>Pulls from ${row.partner.name}</caption>
<thead><tr><th scope="col">Module</th><th scope="col">Last successful pull</th><th scope="col">Newest pull</th><th scope="col" class="num">Failed / all in 24 h</th></tr></thead>
<tbody>${row.pulls.map(
        (p) => html`<tr><th scope="row">${p.module}</th><td>${ago(p.lastSuccessAt, now)}</td>
<td>${p.lastStatus ? html`<span class="${p.lastStatus === 'failed' ? 'bad' : ''}">${p.lastStatus}</span> ${dateTime(p.lastStartedAt)}${p.lastError ? html`<br><span class="muted">${p.lastError}</span>` : html``}` : html`<span class="muted">none</span>`}</td>
<td class="num">${problem(p.failed)} / ${p.failed + p.completed}</td></tr>`,
      )}</tbody></table></div>`

const partnerSection = (row: PartnerRow, now: Date) => {
  const p = row.partner
  const push = row.push
  const cdrs = (rating: string) => row.cdrsLastHour.find((c) => c.rating === rating)?.count ?? 0
  const id = `partner-${p.id}`
  return html`<section aria-labelledby="${id}"><h2 id="${id}">${p.name} ${stateBadge(p.state)}</h2>
<dl>
  <dt>Roles</dt><dd>${p.roles.length ? p.roles.map((r, i) => html`${i ? ', ' : ''}${r.countryCode}*${r.partyId} ${r.role}`) : html`<span class="muted">none</span>`}</dd>
  <dt>Registered</dt><dd>${dateTime(p.registeredAt)}</dd>
  <dt>Token pushes</dt><dd>${push ? html`${problem(push.backlog)} waiting (${problem(push.retrying)} retrying, oldest ${duration(push.oldestAgeS)}), ${problem(push.failed)} given up` : html`nothing waiting`}</dd>
  <dt>CDRs in the last hour</dt><dd>${cdrs('RATED')} rated, ${problem(cdrs('UNRATED'))} unrated, ${cdrs('PENDING')} not rated yet</dd>
  <dt>Disputes in 24 h</dt><dd>${problem(row.disputes24h)}</dd>
  <dt>Partner id</dt><dd><code>${p.id}</code></dd>
</dl>
${pullsTable(row, now)}</section>`
}

export const partnersBody = (rows: PartnerRow[], now: Date): Html =>
  rows.length === 0
    ? html`<p>No partners yet. Create one with <code>npm run admin -- partners:create &lt;name&gt;</code>.</p>`
    : html`${rows.map((r) => partnerSection(r, now))}`

export const chartsBody = (d: ChartData, range: ChartRange, now: Date): Html => html`
<nav aria-label="Range"><ul class="legend">${CHART_RANGES.map((r) => html`<li><a href="/console/charts?days=${r}"${r === range ? html` aria-current="page"` : html``}>${r} days</a></li>`)}</ul></nav>
<h2>CDRs received per day</h2>
${
  d.cdrs.length === 0
    ? html`<p class="muted">No CDRs in the last ${range} days.</p>`
    : barChart({
        id: 'cdrs',
        title: `CDRs received per day and partner, last ${range} days`,
        unit: 'CDRs',
        description: `Stacked bars per UTC day; ${d.cdrs.map((s) => `${s.partner}: ${s.perDay.reduce((a, b) => a + b, 0)}`).join(', ')} in total.`,
        xLabels: d.days,
        series: d.cdrs.map((s) => ({ name: s.partner, values: s.perDay })),
      })
}
<h2>Charged to customers per day</h2>
${
  d.revenue.length === 0
    ? html`<p class="muted">No rated charges in the last ${range} days.</p>`
    : d.revenue.map((r) =>
        barChart({
          id: `revenue-${r.currency}`,
          title: `Charges in ${r.currency} per day of CDR receipt, last ${range} days`,
          unit: r.currency,
          description: `${r.total} ${r.currency} in total (active charges incl. VAT; credit reversals count negative).`,
          xLabels: d.days,
          series: [{ name: r.currency, values: r.perDay.map(Number), labels: r.perDay }],
        }),
      )
}
<h2>Queue lag per hour</h2>
${
  d.queueLag.length === 0
    ? html`<p class="muted">No finished jobs in the last 48 hours.</p>`
    : barChart({
        id: 'lag',
        title: 'Queue lag: 95th percentile of due-to-done seconds per hour, last 48 h',
        unit: 'seconds',
        description: `Worst hour ${Math.max(...d.queueLag.map((l) => l.p95)).toFixed(1)} s at the 95th percentile; longest single wait ${Math.max(...d.queueLag.map((l) => l.max)).toFixed(1)} s.`,
        xLabels: d.queueLag.map((l) => l.hour),
        series: [{ name: 'p95', values: d.queueLag.map((l) => l.p95), labels: d.queueLag.map((l) => l.p95.toFixed(1)) }],
      })
}
<p class="muted">Read ${ago(d.readAt, now)} (charts are cached for a minute). Days and hours are UTC.</p>`
