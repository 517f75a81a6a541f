// Account (FAQ: address information, payment information, delete the account).
import type { Customer } from '../../customers/index.js'
import { checkboxField, csrfField, inputField, radioGroup, selectField } from '../../web/form.js'
import { html } from '../../web/html.js'
import { formatters, type PageContext } from '../context.js'
import { countryName, countryOptions } from '../countries.js'
import { errorOf, summaryOf, type FieldErrors, type FormBody } from '../forms.js'
import { BASE } from '../layout.js'

/** An IBAN shown with the middle hidden: `DE89 … 3000`. */
export const maskIban = (iban: string) => `${iban.slice(0, 4)} … ${iban.slice(-4)}`

const paymentText = (ctx: PageContext, c: Customer) => {
  const p = c.payment
  if (!p) return html`<p>${ctx.t('payment.none')}</p>`
  if (p.method === 'BANK_TRANSFER') return html`<p>${ctx.t('payment.bankTransfer.text')}</p>`
  const f = formatters(ctx.locale)
  return html`<dl class="facts">
<dt>${ctx.t('payment.method')}</dt><dd>${ctx.t('payment.SEPA_DIRECT_DEBIT')}</dd>
<dt>${ctx.t('field.iban')}</dt><dd>${maskIban(p.iban)}</dd>
<dt>${ctx.t('field.accountHolder')}</dt><dd>${p.accountHolder}</dd>
<dt>${ctx.t('payment.mandate')}</dt><dd>${ctx.t('payment.mandateText', { reference: p.mandateReference, date: f.day(p.mandateSignedOn) })}</dd>
</dl>`
}

export const accountPage = (ctx: PageContext, c: Customer, login: { email: string; method: 'password' | 'oidc' } | undefined) => {
  const { t } = ctx
  const a = c.address
  return html`<section aria-labelledby="personal"><h2 id="personal">${t('account.personal')}</h2>
<dl class="facts">
<dt>${t('field.name')}</dt><dd>${c.name}</dd>
<dt>${t('field.address')}</dt><dd>${a ? html`${a.street}<br>${a.postalCode} ${a.city}<br>${countryName(a.country, ctx.locale)}` : t('account.noAddress')}</dd>
<dt>${t('field.phoneShort')}</dt><dd>${c.phone ?? '–'}</dd>
<dt>${t('account.loginEmail')}</dt><dd>${login?.email ?? c.email}${login?.method === 'oidc' ? html` (${t('account.loginOidc')})` : ''}</dd>
</dl>
<p><a class="button secondary" href="${BASE}/account/address">${t('account.editAddress')}</a></p></section>
<section aria-labelledby="payment"><h2 id="payment">${t('account.payment')}</h2>
${paymentText(ctx, c)}
<p><a class="button secondary" href="${BASE}/account/payment">${t('account.editPayment')}</a></p></section>
<section aria-labelledby="delete"><h2 id="delete">${t('account.delete')}</h2>
<p>${t('account.deleteText')}</p>
<p><a class="button secondary" href="${BASE}/account/delete">${t('account.deleteLink')}</a></p></section>`
}

export const addressForm = (ctx: PageContext, v: { values: FormBody; errors?: FieldErrors }) => {
  const { t } = ctx
  const e = (name: string) => errorOf(ctx, v.errors, name)
  return html`<p>${t('account.addressNote')}</p>
<form class="stack" method="post" action="${BASE}/account/address" novalidate>
${csrfField(ctx.csrf)}
${summaryOf(ctx, v.errors, ['name', 'street', 'postalCode', 'city', 'country', 'phone'])}
${inputField({ name: 'name', label: t('field.name'), value: v.values.name, error: e('name'), autocomplete: 'name', required: true, maxlength: 100 })}
${inputField({ name: 'street', label: t('field.street'), value: v.values.street, error: e('street'), autocomplete: 'street-address', required: true, maxlength: 100 })}
${inputField({ name: 'postalCode', label: t('field.postalCode'), value: v.values.postalCode, error: e('postalCode'), autocomplete: 'postal-code', required: true, maxlength: 10 })}
${inputField({ name: 'city', label: t('field.city'), value: v.values.city, error: e('city'), autocomplete: 'address-level2', required: true, maxlength: 80 })}
${selectField({ name: 'country', label: t('field.country'), value: v.values.country, error: e('country'), autocomplete: 'country', required: true, options: countryOptions(ctx.locale, t('field.choose')) })}
${inputField({ name: 'phone', label: t('field.phone'), type: 'tel', hint: t('field.phoneHint'), value: v.values.phone, error: e('phone'), autocomplete: 'tel', maxlength: 25 })}
<div class="actions"><button type="submit">${t('form.save')}</button><a class="button secondary" href="${BASE}/account">${t('form.cancel')}</a></div>
</form>`
}

export const paymentForm = (ctx: PageContext, v: { values: FormBody; errors?: FieldErrors }) => {
  const { t } = ctx
  const e = (name: string) => errorOf(ctx, v.errors, name)
  return html`<form class="stack" method="post" action="${BASE}/account/payment" novalidate>
${csrfField(ctx.csrf)}
${summaryOf(ctx, v.errors, ['method', 'iban', 'accountHolder', 'mandate'])}
${radioGroup({
  name: 'method',
  label: t('payment.method'),
  value: v.values.method,
  error: e('method'),
  options: [
    { value: 'SEPA_DIRECT_DEBIT', label: t('payment.SEPA_DIRECT_DEBIT'), description: html`${t('payment.sepa.description')}` },
    { value: 'BANK_TRANSFER', label: t('payment.BANK_TRANSFER'), description: html`${t('payment.bankTransfer.text')}` },
  ],
})}
<h2>${t('payment.sepa.details')}</h2>
${inputField({ name: 'iban', label: t('field.iban'), hint: t('field.ibanHint'), value: v.values.iban, error: e('iban'), autocomplete: 'off', maxlength: 42, spellcheck: false })}
${inputField({ name: 'accountHolder', label: t('field.accountHolder'), value: v.values.accountHolder, error: e('accountHolder'), autocomplete: 'name', maxlength: 70 })}
${checkboxField({ name: 'mandate', label: t('payment.sepa.mandate'), checked: v.values.mandate === 'yes', error: e('mandate') })}
<div class="actions"><button type="submit">${t('form.save')}</button><a class="button secondary" href="${BASE}/account">${t('form.cancel')}</a></div>
</form>`
}

export const deleteForm = (ctx: PageContext, v: { withPassword: boolean; errors?: FieldErrors }) => {
  const { t } = ctx
  return html`<p>${t('account.deleteText')}</p>
<p>${t('account.deleteKept')}</p>
<form class="stack" method="post" action="${BASE}/account/delete" novalidate>
${csrfField(ctx.csrf)}
${summaryOf(ctx, v.errors, ['password', 'confirm'])}
${
  v.withPassword
    ? inputField({
        name: 'password',
        label: t('account.deletePassword'),
        type: 'password',
        error: errorOf(ctx, v.errors, 'password'),
        autocomplete: 'current-password',
        required: true,
        maxlength: 200,
      })
    : checkboxField({ name: 'confirm', label: t('account.deleteConfirm'), error: errorOf(ctx, v.errors, 'confirm'), required: true })
}
<div class="actions"><button type="submit" class="danger">${t('account.deleteButton')}</button><a class="button secondary" href="${BASE}/account">${t('form.cancel')}</a></div>
</form>`
}
