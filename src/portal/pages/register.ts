// The registration, step by step (FAQ: the "Vouchers" field is in the last step): personal data,
// home market, tariff with the market's prices, vehicle, then vouchers and the terms.
import type { NewVehicleOffer } from '../../billing/index.js'
import { HOME_MARKETS, type HomeMarket } from '../../customers/index.js'
import type { MarketCatalog } from '../../catalog/index.js'
import { checkboxField, csrfField, inputField, radioGroup, selectField } from '../../web/form.js'
import { html, type Html } from '../../web/html.js'
import type { MsgKey } from '../catalog.js'
import { formatters, type PageContext } from '../context.js'
import { countryName, countryOptions } from '../countries.js'
import { errorOf, summaryOf, type FieldErrors, type FormBody } from '../forms.js'
import { BASE } from '../layout.js'
import { ionityPlusText, tariffSummary } from '../price-text.js'
import type { RegistrationDraft } from '../session.js'

export const STEPS = ['personal', 'market', 'tariff', 'vehicle', 'confirm'] as const
export type Step = (typeof STEPS)[number]
export const stepPath = (s: Step) => (s === 'personal' ? `${BASE}/register` : `${BASE}/register/${s}`)
const STEP_KEYS: Record<Step, MsgKey> = {
  personal: 'register.step.personal',
  market: 'register.step.market',
  tariff: 'register.step.tariff',
  vehicle: 'register.step.vehicle',
  confirm: 'register.step.confirm',
}
export const MARKET_KEYS: Record<HomeMarket, MsgKey> = { DE: 'market.DE', SI: 'market.SI', EE: 'market.EE' }

/** The models BMW sells electrified, offered as suggestions (any model name is accepted). */
const MODELS = [
  'i3',
  'i4',
  'i5',
  'i7',
  'iX',
  'iX1',
  'iX2',
  'iX3',
  '225e',
  '330e',
  '530e',
  '750e',
  'X1 xDrive30e',
  'X2 xDrive25e',
  'X3 xDrive30e',
  'X5 xDrive50e',
  'XM',
]

const stepList = (
  ctx: PageContext,
  current: Step,
) => html`<p class="visually-hidden">${ctx.t('register.progress', { n: STEPS.indexOf(current) + 1, total: STEPS.length })}</p>
<ol class="steps">${STEPS.map((s, i) => html`<li${s === current ? html` aria-current="step"` : ''}>${i + 1}. ${ctx.t(STEP_KEYS[s])}</li>`)}</ol>`

const form = (ctx: PageContext, step: Step, body: Html, submit: Html) => html`${stepList(ctx, step)}
<form class="stack${step === 'tariff' ? ' wide' : ''}" method="post" action="${stepPath(step)}" novalidate>
${csrfField(ctx.csrf)}
${body}
<div class="actions">${submit}${step === 'personal' ? '' : html`<a class="button secondary" href="${stepPath(STEPS[STEPS.indexOf(step) - 1]!)}">${ctx.t('form.back')}</a>`}</div>
</form>`

const next = (ctx: PageContext) => html`<button type="submit">${ctx.t('form.continue')}</button>`

export interface PersonalView {
  values: FormBody
  errors?: FieldErrors
  /** Local accounts choose a password here; OpenID Connect identities have none. */
  withPassword: boolean
  /** A password was already chosen in this registration (it may be left empty to keep it). */
  passwordKept: boolean
}

export const personalPage = (ctx: PageContext, v: PersonalView) => {
  const { t } = ctx
  const e = (name: string) => errorOf(ctx, v.errors, name)
  const order = ['name', 'email', ...(v.withPassword ? ['password', 'password2'] : []), 'street', 'postalCode', 'city', 'country', 'phone']
  return form(
    ctx,
    'personal',
    html`${summaryOf(ctx, v.errors, order)}
${inputField({ name: 'name', label: t('field.name'), value: v.values.name, error: e('name'), autocomplete: 'name', required: true, maxlength: 100 })}
${inputField({ name: 'email', label: t('field.email'), type: 'email', value: v.values.email, error: e('email'), autocomplete: 'email', required: true, maxlength: 254, spellcheck: false })}
${
  v.withPassword
    ? html`${inputField({ name: 'password', label: t('field.password'), type: 'password', hint: v.passwordKept ? t('field.passwordKeep') : t('field.passwordHint'), error: e('password'), autocomplete: 'new-password', required: !v.passwordKept, maxlength: 200 })}
${inputField({ name: 'password2', label: t('field.passwordRepeat'), type: 'password', error: e('password2'), autocomplete: 'new-password', required: !v.passwordKept, maxlength: 200 })}`
    : ''
}
${inputField({ name: 'street', label: t('field.street'), value: v.values.street, error: e('street'), autocomplete: 'street-address', required: true, maxlength: 100 })}
${inputField({ name: 'postalCode', label: t('field.postalCode'), value: v.values.postalCode, error: e('postalCode'), autocomplete: 'postal-code', required: true, maxlength: 10 })}
${inputField({ name: 'city', label: t('field.city'), value: v.values.city, error: e('city'), autocomplete: 'address-level2', required: true, maxlength: 80 })}
${selectField({ name: 'country', label: t('field.country'), value: v.values.country, error: e('country'), autocomplete: 'country', required: true, options: countryOptions(ctx.locale, t('field.choose')) })}
${inputField({ name: 'phone', label: t('field.phone'), type: 'tel', hint: t('field.phoneHint'), value: v.values.phone, error: e('phone'), autocomplete: 'tel', maxlength: 25 })}`,
    next(ctx),
  )
}

export const marketPage = (ctx: PageContext, v: { value?: string; errors?: FieldErrors }) =>
  form(
    ctx,
    'market',
    html`${summaryOf(ctx, v.errors, ['market'])}
${radioGroup({
  name: 'market',
  label: ctx.t('register.market.question'),
  hint: ctx.t('register.market.hint'),
  value: v.value,
  error: errorOf(ctx, v.errors, 'market'),
  options: HOME_MARKETS.map((m) => ({
    value: m,
    label: ctx.t(MARKET_KEYS[m]),
    description: html`${ctx.t(`register.market.${m}` as MsgKey)}`,
  })),
})}`,
    next(ctx),
  )

const priceBlock = (ctx: PageContext, list: MarketCatalog, tariff: 'ACTIVE' | 'FLEX') => {
  const f = formatters(ctx.locale)
  const s = tariffSummary(ctx, f, list, tariff)
  const row = (label: string, lines: string[] | null) =>
    lines && lines.length ? html`<dt>${label}</dt><dd><ul class="prices">${lines.map((l) => html`<li>${l}</li>`)}</ul></dd>` : ''
  return html`<p>${ctx.t(tariff === 'ACTIVE' ? 'tariff.active.intro' : 'tariff.flex.intro')}</p>
<dl class="facts">
<dt>${ctx.t('tariff.baseFeeLabel')}</dt><dd>${s.baseFee}${s.benefit ? html`<br>${s.benefit}` : ''}</dd>
${row(ctx.t('tariff.ac'), s.ac)}
${row(ctx.t('tariff.dc'), s.dc)}
${s.deals.map((d) => html`${row(`${d.label}: ${ctx.t('tariff.ac')}`, d.ac)}${row(`${d.label}: ${ctx.t('tariff.dc')}`, d.dc)}`)}
<dt>${ctx.t('tariff.more')}</dt><dd>${s.notes.map((n) => html`<p>${n}</p>`)}</dd>
<dt>${ctx.t('tariff.replacementCard')}</dt><dd>${s.replacementCard}</dd>
<dt>${ctx.t('tariff.minimumTerm')}</dt><dd>${ctx.t('tariff.minimumTermValue', { months: list.tariffs[tariff].minimumTermMonths })}</dd>
</dl>`
}

export const tariffPage = (ctx: PageContext, v: { market: HomeMarket; list: MarketCatalog; value?: string; errors?: FieldErrors }) =>
  form(
    ctx,
    'tariff',
    html`${summaryOf(ctx, v.errors, ['tariff'])}
<p>${ctx.t('register.tariff.intro', { market: ctx.t(MARKET_KEYS[v.market]) })}</p>
${radioGroup({
  name: 'tariff',
  label: ctx.t('register.tariff.question'),
  value: v.value,
  error: errorOf(ctx, v.errors, 'tariff'),
  options: [
    { value: 'ACTIVE', label: ctx.t('tariff.ACTIVE'), description: priceBlock(ctx, v.list, 'ACTIVE') },
    { value: 'FLEX', label: ctx.t('tariff.FLEX'), description: priceBlock(ctx, v.list, 'FLEX') },
  ],
})}
<div class="panel"><h2>${ctx.t('ionity.title')}</h2><p>${ionityPlusText(ctx, formatters(ctx.locale), v.list)}</p><p>${ctx.t('register.tariff.ionityLater')}</p></div>
<p>${ctx.t('tariff.allPricesInclVat')}</p>`,
    next(ctx),
  )

export const vehiclePage = (ctx: PageContext, v: { values: FormBody; errors?: FieldErrors; list: MarketCatalog }) => {
  const { t } = ctx
  const e = (name: string) => errorOf(ctx, v.errors, name)
  const b = v.list.newVehicleBenefits
  const f = formatters(ctx.locale)
  return form(
    ctx,
    'vehicle',
    html`${summaryOf(ctx, v.errors, ['vin', 'model', 'deliveryDate'])}
${inputField({ name: 'vin', label: t('field.vin'), hint: t('field.vinHint'), value: v.values.vin, error: e('vin'), required: true, maxlength: 17, spellcheck: false, autocomplete: 'off' })}
${inputField({ name: 'model', label: t('field.model'), hint: t('field.modelHint'), value: v.values.model, error: e('model'), required: true, maxlength: 40, list: 'models', autocomplete: 'off' })}
<datalist id="models">${MODELS.map((m) => html`<option value="${m}">`)}</datalist>
${inputField({ name: 'deliveryDate', label: t('field.deliveryDate'), type: 'date', hint: t('field.dateHint'), value: v.values.deliveryDate, error: e('deliveryDate'), required: true })}
${checkboxField({
  name: 'isNew',
  label: t('field.isNew'),
  checked: v.values.isNew === 'yes',
  hint: b.deliveredFrom
    ? t('register.vehicle.benefitsSince', {
        registeredBefore: f.day(b.registeredBefore),
        deliveredFrom: f.day(b.deliveredFrom),
        months: b.activeBaseFeeFreeMonths,
      })
    : t('register.vehicle.benefits', { registeredBefore: f.day(b.registeredBefore), months: b.activeBaseFeeFreeMonths }),
})}`,
    next(ctx),
  )
}

export interface ConfirmView {
  draft: Required<Pick<RegistrationDraft, 'personal' | 'market' | 'tariff' | 'vehicle'>>
  list: MarketCatalog
  offer: NewVehicleOffer
  values: FormBody
  errors?: FieldErrors
  /** What the checked voucher gives (after "Check voucher"). */
  voucherInfo?: string
}

export const confirmPage = (ctx: PageContext, v: ConfirmView) => {
  const { t } = ctx
  const f = formatters(ctx.locale)
  const { personal: p, vehicle } = v.draft
  const edit = (s: Step) => html` <a href="${stepPath(s)}">${t('form.change')}<span class="visually-hidden"> ${t(STEP_KEYS[s])}</span></a>`
  const ionityFee = f.money(v.list.ionityPlus.monthlyBaseFee, 'EUR')
  return html`${stepList(ctx, 'confirm')}
<h2>${t('register.confirm.summary')}</h2>
<dl class="facts">
<dt>${t('field.name')}</dt><dd>${p.name}${edit('personal')}</dd>
<dt>${t('field.email')}</dt><dd>${p.email}</dd>
<dt>${t('field.address')}</dt><dd>${p.street}, ${p.postalCode} ${p.city}, ${countryName(p.country, ctx.locale)}</dd>
${p.phone ? html`<dt>${t('field.phoneShort')}</dt><dd>${p.phone}</dd>` : ''}
<dt>${t('field.homeMarket')}</dt><dd>${t(MARKET_KEYS[v.draft.market])}${edit('market')}</dd>
<dt>${t('field.tariff')}</dt><dd>${t(v.draft.tariff === 'ACTIVE' ? 'tariff.ACTIVE' : 'tariff.FLEX')}${edit('tariff')}</dd>
<dt>${t('field.vehicle')}</dt><dd>BMW ${vehicle.model}, ${vehicle.vin}, ${t('field.deliveredOn', { date: f.day(vehicle.deliveryDate) })}${edit('vehicle')}</dd>
</dl>
${
  v.offer.baseFeeFreeMonths || v.offer.ionityPlusFreeMonths
    ? html`<div class="panel"><h2>${t('register.confirm.benefits')}</h2><ul>
${v.offer.baseFeeFreeMonths ? html`<li>${t('register.confirm.benefitBaseFee', { months: v.offer.baseFeeFreeMonths })}</li>` : ''}
${v.offer.ionityPlusFreeMonths ? html`<li>${t('register.confirm.benefitIonity', { months: v.offer.ionityPlusFreeMonths, fee: ionityFee })}</li>` : ''}
</ul></div>`
    : ''
}
<form class="stack" method="post" action="${stepPath('confirm')}" novalidate>
${csrfField(ctx.csrf)}
${summaryOf(ctx, v.errors, ['voucher', 'terms'])}
<h2 id="vouchers">${t('register.confirm.vouchers')}</h2>
${inputField({ name: 'voucher', label: t('field.voucherCode'), hint: t('register.confirm.voucherHint'), value: v.values.voucher, error: errorOf(ctx, v.errors, 'voucher'), maxlength: 64, autocomplete: 'off', spellcheck: false })}
${v.voucherInfo ? html`<p class="notice" role="status">${v.voucherInfo}</p>` : ''}
<button type="submit" name="action" value="check" class="secondary">${t('voucher.check')}</button>
<h2>${t('register.confirm.terms')}</h2>
${checkboxField({ name: 'terms', label: t('field.terms', { market: t(MARKET_KEYS[v.draft.market]) }), checked: v.values.terms === 'yes', error: errorOf(ctx, v.errors, 'terms'), required: true })}
<div class="actions"><button type="submit" name="action" value="register">${t('register.submit')}</button><a class="button secondary" href="${stepPath('vehicle')}">${t('form.back')}</a></div>
</form>`
}

export const sentPage = (ctx: PageContext, email: string) =>
  html`<p>${ctx.t('register.sent.text', { email })}</p><p>${ctx.t('register.sent.spam')}</p>`
