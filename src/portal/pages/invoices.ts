// Invoices (FAQ: in the top navigation, every invoice with its status, " ⤓ " downloads the PDF).
import type { Invoice } from '../../billing/index.js'
import { html } from '../../web/html.js'
import type { MsgKey } from '../catalog.js'
import { formatters, type PageContext } from '../context.js'
import { BASE } from '../layout.js'

const STATUS: Record<Invoice['status'], { key: MsgKey; badge: string }> = {
  PAID: { key: 'invoice.status.PAID', badge: 'badge-ok' },
  PARTIALLY_PAID: { key: 'invoice.status.PARTIALLY_PAID', badge: 'badge-warn' },
  OPEN: { key: 'invoice.status.OPEN', badge: 'badge-bad' },
}

export const invoicesPage = (ctx: PageContext, invoices: readonly Invoice[]) => {
  const { t } = ctx
  const f = formatters(ctx.locale)
  if (invoices.length === 0) return html`<p>${t('invoice.none')}</p>`
  const col = {
    number: t('invoice.number'),
    month: t('invoice.month'),
    date: t('invoice.date'),
    total: t('invoice.total'),
    open: t('invoice.open'),
    status: t('invoice.status'),
    pdf: t('invoice.pdf'),
  }
  return html`<p>${t('invoice.intro')}</p>
<div class="table-wrap"><table class="responsive">
<thead><tr><th scope="col">${col.number}</th><th scope="col">${col.month}</th><th scope="col">${col.date}</th><th scope="col" class="num">${col.total}</th><th scope="col" class="num">${col.open}</th><th scope="col">${col.status}</th><th scope="col">${col.pdf}</th></tr></thead>
<tbody>
${invoices.map((i) => {
  const open = i.amountDue.minus(i.paid)
  return html`<tr>
<td data-label="${col.number}">${i.number}</td>
<td data-label="${col.month}">${f.month(i.month)}</td>
<td data-label="${col.date}">${f.day(i.issueDate)}</td>
<td data-label="${col.total}" class="num">${f.money(i.total, i.currency)}</td>
<td data-label="${col.open}" class="num">${f.money(open.gt(0) ? open : open.times(0), i.currency)}</td>
<td data-label="${col.status}"><span class="badge ${STATUS[i.status].badge}">${t(STATUS[i.status].key)}</span></td>
<td data-label="${col.pdf}"><a class="download" href="${BASE}/invoices/${i.id}/pdf" download="${i.number}.pdf" aria-label="${t('invoice.download', { number: i.number })}"> ⤓ </a></td>
</tr>`
})}
</tbody></table></div>`
}
