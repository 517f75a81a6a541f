// The e-mails of the customer area, in the visitor's language (the mail port sends them).
import type { Mail } from '../mail/index.js'
import type { PageContext } from './context.js'

export const registrationMail = (ctx: PageContext, to: string, name: string, link: string): Mail => ({
  to,
  kind: 'registration',
  subject: ctx.t('mail.registration.subject'),
  text: ctx.t('mail.registration.body', { name, link }),
})

export const passwordResetMail = (ctx: PageContext, to: string, link: string): Mail => ({
  to,
  kind: 'password_reset',
  subject: ctx.t('mail.reset.subject'),
  text: ctx.t('mail.reset.body', { link }),
})
