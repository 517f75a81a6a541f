// The list pages: unrated CDRs, disputes, failed and retrying jobs, invoice runs.
import { html, type Html } from '../../web/html.js'
import type { ConsoleService } from '../console.service.js'
import type { ProblemKind } from '../console.queries.js'
import { ago, dateTime, duration, json, pager, problem } from './format.js'

type Unrated = Awaited<ReturnType<ConsoleService['unratedCdrs']>>
type Disputes = Awaited<ReturnType<ConsoleService['disputes']>>
type Jobs = Awaited<ReturnType<ConsoleService['jobs']>>
type Invoices = Awaited<ReturnType<ConsoleService['invoiceRuns']>>
type PageQuery = { offset: number; limit: number }

const empty = (text: string) => html`<p class="muted">${text}</p>`

export const unratedBody = (d: Unrated, q: PageQuery & { reason?: string }): Html => html`
<form method="get" action="/console/cdrs" class="filters">
  <div><label for="reason">Reason</label><select id="reason" name="reason"><option value="">All reasons (${d.reasons.reduce((n, r) => n + r.count, 0)})</option>
  ${d.reasons.map((r) => html`<option value="${r.reason}"${r.reason === q.reason ? html` selected` : html``}>${r.reason} (${r.count})</option>`)}</select></div>
  <button type="submit">Show</button>
</form>
${
  d.items.length === 0
    ? empty('No unrated CDRs.')
    : html`<div class="scroll" tabindex="0" role="region" aria-label="CDRs that could not be rated, newest attempt first"><table><caption>CDRs that could not be rated, newest attempt first</caption>
<thead><tr><th scope="col">CDR</th><th scope="col">Partner</th><th scope="col">Contract</th><th scope="col">Start</th><th scope="col" class="num">kWh</th><th scope="col" class="num">Operator total</th><th scope="col">Reason</th><th scope="col" class="num">Attempts</th><th scope="col">Last attempt</th></tr></thead>
<tbody>${d.items.map(
        (c) => html`<tr>
  <th scope="row">${c.countryCode}*${c.partyId} ${c.partnerCdrId}<br><span class="muted">${c.cdrId}</span></th>
  <td>${c.partnerName ?? c.partnerId}</td><td>${c.contractId}</td><td>${dateTime(c.startDateTime)}</td>
  <td class="num">${c.totalEnergy}</td><td class="num">${c.totalCost} ${c.currency}</td>
  <td><strong>${c.reasonCode ?? 'unknown'}</strong>${c.reason ? html`<br>${c.reason}` : html``}</td>
  <td class="num">${c.attempts}</td><td>${dateTime(c.updatedAt)}</td></tr>`,
      )}</tbody></table></div>`
}
${pager('/console/cdrs', { reason: q.reason }, { ...q, total: d.total })}
<p class="muted">Rate one again with <code>npm run admin -- cdrs:rerate &lt;CDR id&gt;</code> once its cause is fixed (e.g. the contract exists).</p>`

/** One compared total of an audit: `total_cost excl_vat: claimed 9.99, computed 6.00, difference 3.99`. */
const difference = (d: Record<string, unknown>) => {
  const { total, vat, claimed, computed, difference: diff, exceeds_tolerance: beyond, ...rest } = d
  const extra = Object.entries(rest).map(([k, v]) => `, ${k} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
  return html`<li${beyond ? html` class="bad"` : html``}>${[total, vat].filter((x) => x !== undefined && x !== null).join(' ')}: claimed ${String(claimed ?? '–')}, computed ${String(computed ?? '–')}, difference ${String(diff ?? '–')}${beyond ? ' (beyond the tolerance)' : ''}${extra}</li>`
}

export const disputesBody = (d: Disputes, q: PageQuery): Html => html`
${
  d.items.length === 0
    ? empty('No disputes.')
    : html`<div class="scroll" tabindex="0" role="region" aria-label="CDRs whose totals disagree with the operator's tariff beyond the tolerance, newest audit first"><table><caption>CDRs whose totals disagree with the operator's tariff beyond the tolerance, newest audit first</caption>
<thead><tr><th scope="col">CDR</th><th scope="col">Partner</th><th scope="col" class="num">Claimed − computed (excl. VAT)</th><th scope="col" class="num">Tolerance</th><th scope="col">Differences</th><th scope="col">Tariff used</th><th scope="col">Audited</th></tr></thead>
<tbody>${d.items.map(
        (a) => html`<tr>
  <th scope="row">${a.countryCode}*${a.partyId} ${a.partnerCdrId}<br><span class="muted">${a.cdrId}</span></th>
  <td>${a.partnerName ?? ''}</td><td class="num">${a.totalCostDifference ?? '–'} ${a.currency}</td><td class="num">${a.tolerance}</td>
  <td><ul>${a.differences.map(difference)}</ul></td><td>${a.tariffSource}</td><td>${dateTime(a.auditedAt)}</td></tr>`,
      )}</tbody></table></div>`
}
${pager('/console/disputes', {}, { ...q, total: d.total })}
<p class="muted">The full audit of a CDR: <code>npm run admin -- cdrs:rating &lt;CDR id&gt;</code>.</p>`

const kindLink = (kind: ProblemKind, current: ProblemKind, label: string, queue?: string) =>
  html`<li><a href="/console/jobs?kind=${kind}${queue ? `&queue=${encodeURIComponent(queue)}` : ''}"${kind === current ? html` aria-current="page"` : html``}>${label}</a></li>`

export const jobsBody = (d: Jobs, q: PageQuery & { kind: ProblemKind; queue?: string }, csrf: string, now: Date): Html => html`
<div class="scroll" tabindex="0" role="region" aria-label="Queues now"><table><caption>Queues now</caption>
<thead><tr><th scope="col">Queue</th><th scope="col" class="num">Due</th><th scope="col" class="num">Oldest due</th><th scope="col" class="num">Scheduled</th><th scope="col" class="num">Running</th><th scope="col" class="num">Retrying</th><th scope="col" class="num">Failed</th></tr></thead>
<tbody>${d.queues.map(
  (
    j,
  ) => html`<tr><th scope="row"><a href="/console/jobs?kind=${j.failed > 0 || j.retrying === 0 ? 'failed' : 'retrying'}&amp;queue=${encodeURIComponent(j.queue)}">${j.queue}</a></th>
  <td class="num">${j.due}</td><td class="num">${duration(j.oldestDueAgeS)}</td><td class="num">${j.scheduled}</td><td class="num">${j.running}</td><td class="num">${problem(j.retrying)}</td><td class="num">${problem(j.failed)}</td></tr>`,
)}</tbody></table></div>
<nav aria-label="Job lists"><ul class="legend">${kindLink('failed', q.kind, 'Failed (gave up)', q.queue)}${kindLink('retrying', q.kind, 'Retrying (failed at least once)', q.queue)}</ul></nav>
<h2>${q.kind === 'failed' ? 'Failed jobs' : 'Retrying jobs'}${q.queue ? html` in ${q.queue} <a href="/console/jobs?kind=${q.kind}" class="muted">(all queues)</a>` : html``}</h2>
${
  d.items.length === 0
    ? empty(q.kind === 'failed' ? 'No failed jobs.' : 'No job is waiting for a retry.')
    : html`<div class="scroll" tabindex="0" role="region" aria-label="${q.kind === 'failed' ? 'Jobs that gave up after their last attempt, newest first' : 'Jobs that failed and wait for their next attempt, next first'}"><table><caption>${q.kind === 'failed' ? 'Jobs that gave up after their last attempt, newest first' : 'Jobs that failed and wait for their next attempt, next first'}</caption>
<thead><tr><th scope="col">Job</th><th scope="col">Last error</th><th scope="col" class="num">Attempts</th><th scope="col">${q.kind === 'failed' ? 'Failed' : 'Next attempt'}</th><th scope="col">Created</th><th scope="col"><span class="muted">Action</span></th></tr></thead>
<tbody>${d.items.map(
        (j) => html`<tr>
  <th scope="row">${j.queue} #${j.id}<details><summary>Payload</summary><pre>${json(j.payload)}</pre></details></th>
  <td>${j.lastError ? html`<pre>${j.lastError.length > 300 ? `${j.lastError.slice(0, 300)}…` : j.lastError}</pre>` : html`<span class="muted">none</span>`}</td>
  <td class="num">${j.attempts} / ${j.maxAttempts}</td><td>${q.kind === 'failed' ? dateTime(j.finishedAt) : ago(j.runAt, now)}</td><td>${dateTime(j.createdAt)}</td>
  <td><form method="post" action="/console/jobs/${j.id}/retry" class="inline"><input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="back" value="${q.kind}"><button type="submit" aria-label="Retry now, job ${j.id}">Retry now</button></form></td></tr>`,
      )}</tbody></table></div>`
}
${pager('/console/jobs', { kind: q.kind, queue: q.queue }, { ...q, total: d.total })}
<p class="muted">Retry runs a job once more now; if it fails again it is listed again with the new error.</p>`

export const invoicesBody = (d: Invoices, now: Date): Html => html`
${
  d.months.length === 0
    ? empty('No invoice run yet.')
    : html`<div class="scroll" tabindex="0" role="region" aria-label="Invoice runs per billed month (per-contract jobs)"><table><caption>Invoice runs per billed month (per-contract jobs)</caption>
<thead><tr><th scope="col">Month</th><th scope="col">Scheduled run</th><th scope="col" class="num">Contracts done</th><th scope="col" class="num">Waiting</th><th scope="col" class="num">Blocked (retrying)</th><th scope="col" class="num">Failed</th></tr></thead>
<tbody>${d.months.map(
        (
          m,
        ) => html`<tr><th scope="row">${m.month}</th><td>${m.runState ? html`${m.runState} ${dateTime(m.runAt)}` : html`<span class="muted">by hand</span>`}</td>
  <td class="num">${m.done}</td><td class="num">${m.waiting}</td><td class="num">${problem(m.retrying)}</td><td class="num">${problem(m.failed)}</td></tr>`,
      )}</tbody></table></div>`
}
<h2>What blocks invoices</h2>
${
  d.blocked.length === 0
    ? empty('Nothing blocks an invoice.')
    : html`<div class="scroll" tabindex="0" role="region" aria-label="Contracts whose invoice could not be made"><table><caption>Contracts whose invoice could not be made</caption>
<thead><tr><th scope="col">Contract</th><th scope="col">Month</th><th scope="col">Reason</th><th scope="col" class="num">Attempts</th><th scope="col">Next attempt</th><th scope="col">Job</th></tr></thead>
<tbody>${d.blocked.map(
        (
          b,
        ) => html`<tr><th scope="row">${b.contractId}</th><td>${b.month}</td><td>${b.lastError ?? ''}</td><td class="num">${b.attempts}</td>
  <td>${b.nextRunAt ? ago(b.nextRunAt, now) : html`<span class="bad">gave up</span>`}</td><td><a href="/console/jobs?kind=${b.state === 'failed' ? 'failed' : 'retrying'}&amp;queue=billing.invoice">#${b.jobId}</a></td></tr>`,
      )}</tbody></table></div>`
}
<p class="muted">Done counts cover jobs finished in the last 100 days. A missing exchange rate is added with <code>npm run admin -- rates:set</code>; the invoice is then made at its next attempt, or at once with Retry on the Jobs page.</p>`
