import { createCustomersService, type CustomersDeps } from './customers.service.js'

export { createCustomersService, type CustomersService, type CreateCustomerInput, type ChangeContractInput } from './customers.service.js'
export * from './contract.js'
export { isValidContractId, luhnDigit } from './contract-id.js'

/** The customers area: customers, contracts (the model rating and billing read) and their tokens. */
export const createCustomersModule = (deps: CustomersDeps) => ({ service: createCustomersService(deps) })
export { createCustomerQueries, type CustomerQueries, type ContractRef } from './customers.queries.js'
