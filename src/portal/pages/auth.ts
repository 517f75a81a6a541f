// Log in, forgot password, set a new password.
import { csrfField, inputField } from '../../web/form.js'
import { html } from '../../web/html.js'
import type { PageContext } from '../context.js'
import { errorOf, summaryOf, type FieldErrors, type FormBody } from '../forms.js'
import { BASE } from '../layout.js'

export const loginPage = (ctx: PageContext, v: { values: FormBody; errors?: FieldErrors; next: string; message?: string }) => {
  const { t } = ctx
  if (ctx.authMode === 'oidc') {
    return html`<p>${t('login.oidc.text')}</p>
${v.message ? html`<p class="notice notice-error" role="alert">${v.message}</p>` : ''}
<p><a class="button" href="${BASE}/auth/oidc?next=${encodeURIComponent(v.next)}">${t('login.oidc.button')}</a></p>
<p>${t('login.noAccount')} <a href="${BASE}/register">${t('nav.register')}</a></p>`
  }
  const e = (name: string) => errorOf(ctx, v.errors, name)
  return html`<form class="stack" method="post" action="${BASE}/login" novalidate>
${csrfField(ctx.csrf)}
<input type="hidden" name="next" value="${v.next}">
${summaryOf(ctx, v.errors, ['email', 'password'])}
${v.message ? html`<p class="notice notice-error" role="alert">${v.message}</p>` : ''}
${inputField({ name: 'email', label: t('field.email'), type: 'email', value: v.values.email, error: e('email'), autocomplete: 'username', required: true, maxlength: 254, spellcheck: false })}
${inputField({ name: 'password', label: t('field.password'), type: 'password', error: e('password'), autocomplete: 'current-password', required: true, maxlength: 200 })}
<div class="actions"><button type="submit">${t('login.submit')}</button><a href="${BASE}/password/forgot">${t('login.forgot')}</a></div>
</form>
<p>${t('login.noAccount')} <a href="${BASE}/register">${t('nav.register')}</a></p>`
}

export const forgotPage = (ctx: PageContext, v: { values: FormBody; errors?: FieldErrors }) => html`<p>${ctx.t('forgot.text')}</p>
<form class="stack" method="post" action="${BASE}/password/forgot" novalidate>
${csrfField(ctx.csrf)}
${summaryOf(ctx, v.errors, ['email'])}
${inputField({ name: 'email', label: ctx.t('field.email'), type: 'email', value: v.values.email, error: errorOf(ctx, v.errors, 'email'), autocomplete: 'email', required: true, maxlength: 254, spellcheck: false })}
<div class="actions"><button type="submit">${ctx.t('forgot.submit')}</button><a href="${BASE}/login">${ctx.t('nav.login')}</a></div>
</form>`

export const resetPage = (
  ctx: PageContext,
  v: { token: string; errors?: FieldErrors },
) => html`<form class="stack" method="post" action="${BASE}/password/reset" novalidate>
${csrfField(ctx.csrf)}
<input type="hidden" name="token" value="${v.token}">
${summaryOf(ctx, v.errors, ['password', 'password2'])}
${inputField({ name: 'password', label: ctx.t('field.newPassword'), type: 'password', hint: ctx.t('field.passwordHint'), error: errorOf(ctx, v.errors, 'password'), autocomplete: 'new-password', required: true, maxlength: 200 })}
${inputField({ name: 'password2', label: ctx.t('field.passwordRepeat'), type: 'password', error: errorOf(ctx, v.errors, 'password2'), autocomplete: 'new-password', required: true, maxlength: 200 })}
<div class="actions"><button type="submit">${ctx.t('reset.submit')}</button></div>
</form>`
