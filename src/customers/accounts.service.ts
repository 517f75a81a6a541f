// Logins of the customer area: registration confirmed by an e-mail link, password login with a
// lock after repeated failures, password reset (which also lets an operator-created customer set a
// first password), and OpenID Connect identities. E-mails themselves are the caller's (the portal
// writes them in the customer's language); this service hands out the one-time tokens.
import { createHash, randomBytes } from 'node:crypto'
import type { Db } from '../db/client.js'
import type { Clock } from '../platform/clock.js'
import { conflict, DomainError } from '../platform/errors.js'
import * as arepo from './accounts.repository.js'
import type { Contract, Customer } from './contract.js'
import type { CreateCustomerInput, CustomersService } from './customers.service.js'
import type { PasswordHasher } from './password.js'

/** Failed passwords in a row before the login is locked, and for how long. */
export const LOGIN_LOCK_AFTER = 5
export const LOGIN_LOCK_MINUTES = 15
const REGISTRATION_LINK_HOURS = 24
const RESET_LINK_HOURS = 1
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export const normalizeEmail = (email: string) => email.trim().toLowerCase()
const sha256 = (token: string) => createHash('sha256').update(token).digest('hex')
const newToken = () => randomBytes(32).toString('base64url')
const hoursAfter = (at: Date, hours: number) => new Date(at.getTime() + hours * 3_600_000)
/** A local account (email + password) whose email the link just verified. */
const passwordAccount = (customerId: string, email: string, passwordHash: string, now: Date): arepo.Account => ({
  customerId,
  email,
  passwordHash,
  emailVerifiedAt: now,
  oidcIssuer: null,
  oidcSubject: null,
  failedLogins: 0,
  lockedUntil: null,
  createdAt: now,
  updatedAt: now,
})

/**
 * What a registration holds until its e-mail link is used: the customer and contract to create,
 * the password already hashed (`accounts.hashPassword`: the form hashes it once, at the step it is typed in).
 */
export type RegistrationInput = Omit<CreateCustomerInput, 'id' | 'startDate'> & { passwordHash: string; voucherCode?: string | null }

export type LoginResult = { kind: 'ok'; customerId: string } | { kind: 'invalid' } | { kind: 'locked'; until: Date }

export interface OidcIdentity {
  issuer: string
  subject: string
  email: string
  emailVerified: boolean
}

export interface AccountsDeps {
  db: Db
  clock: Clock
  customers: Pick<CustomersService, 'createCustomer' | 'getCustomer'>
  passwords: PasswordHasher
}

export const createAccountsService = (deps: AccountsDeps) => {
  const { db, clock } = deps

  const assertEmailFree = async (tx: Db, email: string) => {
    if (await arepo.findAccountByEmail(tx, email)) throw conflict('email_taken', `There is an account for ${email} already`)
  }

  /**
   * Keeps a registration until its e-mail address is confirmed; answers the token of the link.
   * Nothing is created before that (no contract, no token pushed to CPOs for an address nobody owns).
   */
  const startRegistration = async (input: RegistrationInput): Promise<{ token: string; expiresAt: Date }> => {
    const email = normalizeEmail(input.email)
    await assertEmailFree(db, email)
    const now = clock.now()
    const pending: RegistrationInput = { ...input, email: input.email.trim() }
    const token = newToken()
    const expiresAt = hoursAfter(now, REGISTRATION_LINK_HOURS)
    await arepo.deleteStaleTokens(db, now)
    await arepo.insertToken(db, {
      tokenHash: sha256(token),
      purpose: 'registration',
      email,
      customerId: null,
      payload: pending as unknown as Record<string, unknown>,
      expiresAt,
      usedAt: null,
      createdAt: now,
    })
    return { token, expiresAt }
  }

  /** Whether a link still works (the page with the confirming button asks before anything happens). */
  const linkUsable = async (token: string, purpose: arepo.TokenPurpose) =>
    Boolean(await arepo.findUsableToken(db, sha256(token), purpose, clock.now()))

  /**
   * Confirms the e-mail address of a registration: creates the customer, the contract and the
   * verified login in one transaction, using the link once. Answers what was created and the
   * voucher code to redeem (billing's, after this commit).
   */
  const completeRegistration = async (token: string): Promise<{ customer: Customer; contract: Contract; voucherCode: string | null }> => {
    const found = await arepo.findUsableToken(db, sha256(token), 'registration', clock.now())
    if (!found) throw new DomainError('link_invalid', 'This link is unknown, used or expired', 410)
    const { passwordHash, voucherCode, ...input } = found.payload as unknown as RegistrationInput
    // Packages of a registration (new-vehicle IONITY Plus) start with the contract, on the day the link is used.
    const today = clock.now().toISOString().slice(0, 10)
    const packages = input.packages?.map((p) => ({ ...p, bookedAt: today }))
    const created = await deps.customers.createCustomer(
      { ...input, packages },
      {
        alsoInTx: async (tx, { customer }) => {
          const now = clock.now()
          if (!(await arepo.claimToken(tx, found.tokenHash, 'registration', now)))
            throw new DomainError('link_invalid', 'This link is unknown, used or expired', 410)
          await assertEmailFree(tx, found.email)
          await arepo.insertAccount(tx, passwordAccount(customer.id, found.email, passwordHash, now))
        },
      },
    )
    return { customer: created.customer, contract: created.contract, voucherCode: voucherCode ?? null }
  }

  /** Password login. The same answer for an unknown address and a wrong password, in about the same time. */
  const login = async (rawEmail: string, password: string): Promise<LoginResult> => {
    const account = await arepo.findAccountByEmail(db, normalizeEmail(rawEmail))
    const now = clock.now()
    if (!account?.passwordHash) {
      await deps.passwords.verify(password, deps.passwords.dummyHash)
      return { kind: 'invalid' }
    }
    if (account.lockedUntil && account.lockedUntil > now) return { kind: 'locked', until: account.lockedUntil }
    if (!(await deps.passwords.verify(password, account.passwordHash))) {
      const lockUntil = new Date(now.getTime() + LOGIN_LOCK_MINUTES * 60_000)
      await arepo.recordFailedLogin(db, account.customerId, LOGIN_LOCK_AFTER, lockUntil, now)
      return account.failedLogins + 1 >= LOGIN_LOCK_AFTER ? { kind: 'locked', until: lockUntil } : { kind: 'invalid' }
    }
    await arepo.updateAccount(db, account.customerId, {
      failedLogins: 0,
      lockedUntil: null,
      updatedAt: now,
      ...(deps.passwords.needsRehash(account.passwordHash) ? { passwordHash: await deps.passwords.hash(password) } : {}),
    })
    return { kind: 'ok', customerId: account.customerId }
  }

  /** Whether `password` is the customer's (asked again before the account is deleted). */
  const checkPassword = async (customerId: string, password: string): Promise<boolean> => {
    const account = await arepo.findAccountOfCustomer(db, customerId)
    return account?.passwordHash ? deps.passwords.verify(password, account.passwordHash) : false
  }

  /**
   * A password-reset link for an address, or null when no one can log in with it (the caller says
   * the same either way). A customer an operator created (no login yet) may set a first password
   * this way: the link proves the address. A new link replaces the open ones.
   */
  const requestPasswordReset = async (rawEmail: string): Promise<{ token: string; expiresAt: Date } | null> => {
    const email = normalizeEmail(rawEmail)
    const account = await arepo.findAccountByEmail(db, email)
    let customerId = account && !account.oidcSubject ? account.customerId : undefined
    if (!account) {
      const candidates = await arepo.customersWithoutAccount(db, email)
      if (candidates.length === 1) customerId = candidates[0]
    }
    if (!customerId) return null
    const now = clock.now()
    const token = newToken()
    const expiresAt = hoursAfter(now, RESET_LINK_HOURS)
    await arepo.expireTokensOf(db, email, 'password_reset', now)
    await arepo.insertToken(db, {
      tokenHash: sha256(token),
      purpose: 'password_reset',
      email,
      customerId,
      payload: null,
      expiresAt,
      usedAt: null,
      createdAt: now,
    })
    return { token, expiresAt }
  }

  /** Sets the password of a reset link (creating the login of an operator-created customer); unlocks the login. */
  const resetPassword = async (token: string, password: string): Promise<{ customerId: string }> => {
    const passwordHash = await deps.passwords.hash(password)
    return db.transaction(async (tx) => {
      const now = clock.now()
      const claimed = await arepo.claimToken(tx, sha256(token), 'password_reset', now)
      if (!claimed?.customerId) throw new DomainError('link_invalid', 'This link is unknown, used or expired', 410)
      const customerId = claimed.customerId
      if (await arepo.findAccountOfCustomer(tx, customerId)) {
        await arepo.updateAccount(tx, customerId, {
          passwordHash,
          emailVerifiedAt: now,
          failedLogins: 0,
          lockedUntil: null,
          updatedAt: now,
        })
      } else if (!(await arepo.insertAccount(tx, passwordAccount(customerId, claimed.email, passwordHash, now)))) {
        throw conflict('email_taken', `There is an account for ${claimed.email} already`)
      }
      return { customerId }
    })
  }

  /**
   * The customer of an OpenID Connect identity. The app's tokens carry our customer id as subject,
   * so a subject naming a customer who has no login yet is that customer: the login is linked.
   * Undefined when the identity has no customer (it registers next).
   */
  const loginWithOidc = async (id: OidcIdentity): Promise<string | undefined> => {
    const linked = await arepo.findAccountByOidc(db, id.issuer, id.subject)
    if (linked) return linked.customerId
    if (!UUID.test(id.subject)) return undefined
    const customer = await deps.customers.getCustomer(id.subject).then(
      (c) => c.customer,
      () => undefined,
    )
    if (!customer || customer.deletedAt || (await arepo.findAccountOfCustomer(db, customer.id))) return undefined
    const now = clock.now()
    const inserted = await arepo.insertAccount(db, {
      customerId: customer.id,
      email: normalizeEmail(customer.email),
      passwordHash: null,
      emailVerifiedAt: id.emailVerified ? now : null,
      oidcIssuer: id.issuer,
      oidcSubject: id.subject,
      failedLogins: 0,
      lockedUntil: null,
      createdAt: now,
      updatedAt: now,
    })
    return inserted ? customer.id : undefined
  }

  /** Registers an OpenID Connect identity: customer, contract and linked login at once (the provider proved the identity). */
  const registerWithOidc = async (id: OidcIdentity, input: Omit<CreateCustomerInput, 'id' | 'startDate'>) => {
    const email = normalizeEmail(input.email)
    await assertEmailFree(db, email)
    const free =
      UUID.test(id.subject) &&
      !(await deps.customers.getCustomer(id.subject).then(
        () => true,
        () => false,
      ))
    return deps.customers.createCustomer(
      { ...input, ...(free ? { id: id.subject.toLowerCase() } : {}) },
      {
        alsoInTx: async (tx, { customer }) => {
          const now = clock.now()
          if (await arepo.findAccountByOidc(tx, id.issuer, id.subject))
            throw conflict('identity_registered', 'This identity has a customer account already')
          await assertEmailFree(tx, email)
          await arepo.insertAccount(tx, {
            customerId: customer.id,
            email,
            passwordHash: null,
            emailVerifiedAt: id.emailVerified ? now : null,
            oidcIssuer: id.issuer,
            oidcSubject: id.subject,
            failedLogins: 0,
            lockedUntil: null,
            createdAt: now,
            updatedAt: now,
          })
        },
      },
    )
  }

  /**
   * Whether an address cannot register: it has a login, or belongs to a customer an operator created
   * (who sets a first password with "Forgot your password?" instead of becoming a second customer).
   */
  const emailTaken = async (rawEmail: string) => {
    const email = normalizeEmail(rawEmail)
    return Boolean(await arepo.findAccountByEmail(db, email)) || (await arepo.customersWithoutAccount(db, email)).length > 0
  }

  /** The login of a customer: the address and how they log in. */
  const loginOf = async (customerId: string) => {
    const account = await arepo.findAccountOfCustomer(db, customerId)
    return account ? { email: account.email, method: account.oidcSubject ? ('oidc' as const) : ('password' as const) } : undefined
  }

  return {
    startRegistration,
    linkUsable,
    completeRegistration,
    login,
    checkPassword,
    requestPasswordReset,
    resetPassword,
    loginWithOidc,
    registerWithOidc,
    loginOf,
    emailTaken,
    /** The hash a registration keeps until its link is used (the form hashes the password once, when typed in). */
    hashPassword: deps.passwords.hash,
  }
}

export type AccountsService = ReturnType<typeof createAccountsService>
