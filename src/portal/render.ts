// Answering with pages: HTML documents, redirects after a POST (post/redirect/get), the notice a
// redirect carries, and the guard of the pages that need a login.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { DomainError } from '../platform/errors.js'
import type { PortalSession } from './session.js'
import type { PageContext } from './context.js'
import { BASE, page, type PageOptions } from './layout.js'
import type { MsgKey } from './catalog.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The customer area's view of the request (set by the portal's onRequest hook). */
    portal: {
      /** The session cookie's value (a new one when the visitor came without). */
      sid: string
      session: PortalSession | undefined
      ctx: PageContext
    }
  }
}

/** Sends a whole page. */
export const render = (reply: FastifyReply, ctx: PageContext, o: PageOptions, status = 200) =>
  reply.code(status).type('text/html; charset=utf-8').send(page(ctx, o))

/** The notices a redirect may name (`?done=…`); anything else is ignored. */
const NOTICES = [
  'loggedOut',
  'passwordChanged',
  'resetSent',
  'voucherRedeemed',
  'vehicleSaved',
  'ionityBooked',
  'ionityCancelled',
  'cardReplaced',
  'contractCancelled',
  'addressSaved',
  'paymentSaved',
  'accountDeleted',
  'registered',
] as const
export type Notice = (typeof NOTICES)[number]

export const noticeOf = (req: FastifyRequest): PageOptions['notice'] => {
  const done = (req.query as Record<string, unknown> | undefined)?.done
  return typeof done === 'string' && (NOTICES as readonly string[]).includes(done)
    ? { text: req.portal.ctx.t(`notice.${done}` as MsgKey) }
    : undefined
}

/** 303 See Other to a portal path, optionally with a notice. */
export const redirect = (reply: FastifyReply, path: string, done?: Notice) =>
  reply.redirect(done ? `${path}${path.includes('?') ? '&' : '?'}done=${done}` : path, 303)

/** A local portal path to go on to after login; anything else (other sites, other surfaces) becomes the start page. */
export const safeNext = (next: unknown): string =>
  typeof next === 'string' && next.startsWith(`${BASE}/`) && !next.startsWith('//') && !next.includes('\\') && !/[\r\n]/.test(next)
    ? next
    : `${BASE}/contracts`

/** The logged-in customer of a page behind the login (the customer area's guard let the request in). */
export const customerOf = (req: FastifyRequest): string => {
  const id = req.portal.session?.customerId
  if (!id) throw new DomainError('unauthorized', 'Not logged in', 401)
  return id
}
