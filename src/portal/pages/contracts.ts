// Contracts (FAQ: contract details, vehicle details, add/edit vouchers, contract deletion), with
// IONITY Plus and the replacement card.
import type { Contract } from '../../customers/index.js'
import type { TokenRecord } from '../../ocpi/tokens/index.js'
import type { MarketCatalog } from '../../catalog/index.js'
import { csrfField, inputField } from '../../web/form.js'
import { html, type Html } from '../../web/html.js'
import type { MsgKey } from '../catalog.js'
import { formatters, type PageContext } from '../context.js'
import { errorOf, summaryOf, type FieldErrors, type FormBody } from '../forms.js'
import { BASE } from '../layout.js'
import { ionityPlusText } from '../price-text.js'
import { MARKET_KEYS } from './register.js'

export interface VoucherRow {
  code: string
  kind: string
  redeemedOn: string
  monthsLeft: number | null
  creditLeft: { toFixed(n: number): string } | null
  currency: string | null
}

export interface ContractView {
  contract: Contract
  cards: TokenRecord[]
  vouchers: VoucherRow[]
  list: MarketCatalog
  /** The contract the customer can change (the newest one not ended). */
  current: boolean
  today: string
  /** If cancelled today: the day the contract would end. */
  endsIfCancelledToday: string
  ionity: { bookedAt: string; endsAt: string | null; endsIfCancelledToday: string } | null
  /** Booked today: its first two contract dates. */
  ionityContractDatesIfBookedToday: [string, string]
}

export const contractPath = (id: string) => `${BASE}/contracts/${encodeURIComponent(id)}`

const stateText = (ctx: PageContext, c: Contract) => {
  const f = formatters(ctx.locale)
  if (c.state === 'active') return html`<span class="badge badge-ok">${ctx.t('contract.state.active')}</span>`
  if (c.state === 'cancelled')
    return html`<span class="badge badge-warn">${ctx.t('contract.state.cancelled', { date: f.day(c.endDate ?? '') })}</span>`
  return html`<span class="badge badge-bad">${ctx.t('contract.state.terminated', { date: f.day(c.endDate ?? '') })}</span>`
}

const postButton = (ctx: PageContext, action: string, label: string, cls = '') =>
  html`<form method="post" action="${action}">${csrfField(ctx.csrf)}<button type="submit"${cls ? html` class="${cls}"` : ''}>${label}</button></form>`

const voucherLeft = (ctx: PageContext, v: VoucherRow) => {
  const f = formatters(ctx.locale)
  if (v.kind === 'CREDIT' && v.creditLeft && v.currency) return ctx.t('voucher.left.credit', { amount: f.money(v.creditLeft, v.currency) })
  return ctx.t('voucher.left.months', { months: v.monthsLeft ?? 0 })
}

const vouchersSection = (ctx: PageContext, v: ContractView) => {
  const { t } = ctx
  const f = formatters(ctx.locale)
  return html`<section aria-labelledby="vouchers-${v.contract.contractId}"><h2 id="vouchers-${v.contract.contractId}">${t('contract.vouchers')}</h2>
${
  v.vouchers.length === 0
    ? html`<p>${t('contract.vouchers.none')}</p>`
    : html`<div class="table-wrap"><table class="responsive"><thead><tr><th scope="col">${t('voucher.code')}</th><th scope="col">${t('voucher.kind')}</th><th scope="col">${t('voucher.redeemedOn')}</th><th scope="col">${t('voucher.remaining')}</th></tr></thead><tbody>
${v.vouchers.map((r) => html`<tr><td data-label="${t('voucher.code')}">${r.code}</td><td data-label="${t('voucher.kind')}">${t(r.kind === 'CREDIT' ? 'voucher.kind.CREDIT' : 'voucher.kind.BASE_FEE_MONTHS')}</td><td data-label="${t('voucher.redeemedOn')}">${f.day(r.redeemedOn)}</td><td data-label="${t('voucher.remaining')}">${voucherLeft(ctx, r)}</td></tr>`)}
</tbody></table></div>`
}
${v.current ? html`<p><a class="button secondary" href="${contractPath(v.contract.contractId)}/vouchers/new">${t('voucher.add')}</a></p>` : ''}
</section>`
}

const ionitySection = (ctx: PageContext, v: ContractView) => {
  const { t } = ctx
  const f = formatters(ctx.locale)
  const base = contractPath(v.contract.contractId)
  const i = v.ionity
  let state: Html
  if (!i) state = html`<p>${t('ionity.notBooked')}</p>`
  else if (i.endsAt) state = html`<p>${t('ionity.bookedEnds', { booked: f.day(i.bookedAt), ends: f.day(i.endsAt) })}</p>`
  else state = html`<p>${t('ionity.booked', { booked: f.day(i.bookedAt) })}</p>`
  let action: Html = html``
  if (v.current && v.contract.state === 'active') {
    if (!i)
      action = html`<p>${t('ionity.ruleBook', { first: f.day(v.ionityContractDatesIfBookedToday[0]), second: f.day(v.ionityContractDatesIfBookedToday[1]) })}</p>${postButton(ctx, `${base}/ionity-plus`, t('ionity.book'))}`
    else if (!i.endsAt)
      action = html`<p>${t('ionity.ruleCancel', { date: f.day(i.endsIfCancelledToday) })}</p>${postButton(ctx, `${base}/ionity-plus/cancel`, t('ionity.cancel'), 'secondary')}`
  }
  return html`<section aria-labelledby="ionity-${v.contract.contractId}"><h2 id="ionity-${v.contract.contractId}">${t('ionity.title')}</h2>
<p>${ionityPlusText(ctx, f, v.list)}</p>${state}<p>${t('ionity.rule')}</p>${action}</section>`
}

const cardsSection = (ctx: PageContext, v: ContractView) => {
  const { t } = ctx
  const fee = formatters(ctx.locale).money(v.list.tariffs[v.contract.tariff].replacementCardFee, 'EUR')
  return html`<section aria-labelledby="cards-${v.contract.contractId}"><h2 id="cards-${v.contract.contractId}">${t('cards.title')}</h2>
${
  v.cards.length === 0
    ? html`<p>${t('cards.none')}</p>`
    : html`<ul>${v.cards.map((c) => html`<li>${c.visualNumber ?? c.uid}: ${c.valid ? t('cards.valid') : t('cards.blocked')}${c.valid && v.current && v.contract.state !== 'terminated' ? html` · <a href="${contractPath(v.contract.contractId)}/cards/${encodeURIComponent(c.uid)}/replace">${t('cards.replace')}<span class="visually-hidden"> ${c.visualNumber ?? c.uid}</span></a>` : ''}</li>`)}</ul>
<p>${t('cards.replaceFee', { fee })}</p>`
}
</section>`
}

/** One contract with everything the customer can do with it. */
export const contractSection = (ctx: PageContext, v: ContractView) => {
  const { t } = ctx
  const f = formatters(ctx.locale)
  const c = v.contract
  const base = contractPath(c.contractId)
  return html`<article class="panel" aria-labelledby="contract-${c.contractId}">
<h2 id="contract-${c.contractId}">${t('contract.heading', { id: c.contractId })}</h2>
<dl class="facts">
<dt>${t('contract.number')}</dt><dd>${c.contractId}</dd>
<dt>${t('contract.status')}</dt><dd>${stateText(ctx, c)}</dd>
<dt>${t('field.tariff')}</dt><dd>${t(c.tariff === 'ACTIVE' ? 'tariff.ACTIVE' : 'tariff.FLEX')}</dd>
<dt>${t('field.homeMarket')}</dt><dd>${t(MARKET_KEYS[c.homeMarket])}</dd>
<dt>${t('contract.start')}</dt><dd>${f.day(c.startDate)}</dd>
${c.state === 'active' ? html`<dt>${t('contract.nextContractDate')}</dt><dd>${f.day(v.endsIfCancelledToday)}</dd>` : ''}
</dl>
<h2>${t('vehicle.title')}</h2>
<dl class="facts">
<dt>${t('field.model')}</dt><dd>BMW ${c.vehicle.model}</dd>
<dt>${t('field.vin')}</dt><dd>${c.vehicle.vin}</dd>
<dt>${t('field.deliveryDate')}</dt><dd>${f.day(c.vehicle.deliveryDate)}</dd>
<dt>${t('vehicle.new')}</dt><dd>${t(c.vehicle.isNew ? 'common.yes' : 'common.no')}</dd>
</dl>
${v.current && c.state !== 'terminated' ? html`<p><a href="${base}/vehicle">${t('vehicle.edit')}</a></p>` : ''}
${vouchersSection(ctx, v)}
${ionitySection(ctx, v)}
${cardsSection(ctx, v)}
${
  v.current && c.state === 'active'
    ? html`<section aria-labelledby="cancel-${c.contractId}"><h2 id="cancel-${c.contractId}">${t('cancel.title')}</h2><p>${t('cancel.rule', { date: f.day(v.endsIfCancelledToday) })}</p><p><a class="button secondary" href="${base}/cancel">${t('cancel.link')}</a></p></section>`
    : ''
}
</article>`
}

export const vehicleForm = (ctx: PageContext, contractId: string, v: { values: FormBody; errors?: FieldErrors }) => {
  const { t } = ctx
  const e = (name: string) => errorOf(ctx, v.errors, name)
  return html`<p>${t('vehicle.vinNote')}</p>
<form class="stack" method="post" action="${contractPath(contractId)}/vehicle" novalidate>
${csrfField(ctx.csrf)}
${summaryOf(ctx, v.errors, ['vin', 'model', 'deliveryDate'])}
${inputField({ name: 'vin', label: t('field.vin'), hint: t('field.vinHint'), value: v.values.vin, error: e('vin'), required: true, maxlength: 17, spellcheck: false, autocomplete: 'off' })}
${inputField({ name: 'model', label: t('field.model'), hint: t('field.modelHint'), value: v.values.model, error: e('model'), required: true, maxlength: 40, autocomplete: 'off' })}
${inputField({ name: 'deliveryDate', label: t('field.deliveryDate'), type: 'date', hint: t('field.dateHint'), value: v.values.deliveryDate, error: e('deliveryDate'), required: true })}
<div class="actions"><button type="submit">${t('form.save')}</button><a class="button secondary" href="${BASE}/contracts">${t('form.cancel')}</a></div>
</form>`
}

/** Add a voucher: code → "Check voucher" (what it gives) → "Redeem voucher". */
export const voucherForm = (ctx: PageContext, contractId: string, v: { values: FormBody; errors?: FieldErrors; checked?: string }) => {
  const { t } = ctx
  return html`<form class="stack" method="post" action="${contractPath(contractId)}/vouchers/new" novalidate>
${csrfField(ctx.csrf)}
${summaryOf(ctx, v.errors, ['code'])}
${inputField({ name: 'code', label: t('field.voucherCode'), value: v.values.code, error: errorOf(ctx, v.errors, 'code'), required: true, maxlength: 64, autocomplete: 'off', spellcheck: false })}
${v.checked ? html`<p class="notice" role="status">${v.checked}</p>` : ''}
<div class="actions">
<button type="submit" name="action" value="check"${v.checked ? html` class="secondary"` : ''}>${t('voucher.check')}</button>
${v.checked ? html`<button type="submit" name="action" value="redeem">${t('voucher.redeem')}</button>` : ''}
<a href="${BASE}/contracts">${t('form.cancel')}</a>
</div>
</form>`
}

export const confirmForm = (
  ctx: PageContext,
  o: { action: string; text: Html; button: string; danger?: boolean; extra?: Html },
) => html`${o.text}
<form class="stack" method="post" action="${o.action}" novalidate>
${csrfField(ctx.csrf)}
${o.extra ?? ''}
<div class="actions"><button type="submit"${o.danger ? html` class="danger"` : ''}>${o.button}</button><a class="button secondary" href="${BASE}/contracts">${ctx.t('form.cancel')}</a></div>
</form>`

export const CONTRACT_ERRORS: Record<string, MsgKey> = {
  package_already_booked: 'ionity.err.alreadyBooked',
  package_not_booked: 'ionity.err.notBooked',
  contract_not_active: 'contract.err.notActive',
  contract_terminated: 'contract.err.notActive',
  token_of_other_contract: 'cards.err.notYours',
  token_not_found: 'cards.err.notYours',
}
