import { createAccountsService } from './accounts.service.js'
import { createCustomersService, type CustomersDeps } from './customers.service.js'
import { createPasswordHasher } from './password.js'

export {
  createCustomersService,
  type CustomersService,
  type CreateCustomerInput,
  type ChangeContractInput,
  type ChangeContactInput,
} from './customers.service.js'
export {
  createAccountsService,
  normalizeEmail,
  LOGIN_LOCK_AFTER,
  LOGIN_LOCK_MINUTES,
  type AccountsService,
  type RegistrationInput,
  type LoginResult,
  type OidcIdentity,
} from './accounts.service.js'
export * from './contract.js'
export { isValidIban, normalizeIban } from './payment.js'
export { isValidContractId, luhnDigit } from './contract-id.js'

/** The customers area: customers, contracts (the model rating and billing read), their tokens, and logins. */
export const createCustomersModule = (deps: CustomersDeps & { passwordCost: number }) => {
  const service = createCustomersService(deps)
  const passwords = createPasswordHasher(deps.passwordCost)
  return { service, accounts: createAccountsService({ db: deps.db, clock: deps.clock, customers: service, passwords }) }
}
export { createCustomerQueries, type CustomerQueries, type ContractRef } from './customers.queries.js'
