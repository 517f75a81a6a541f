import type { Db } from '../db/client.js'
import type { Partner } from '../ocpi/credentials/index.js'
import type { TokenRecord, TokensService } from '../ocpi/tokens/index.js'
import type { Clock } from '../platform/clock.js'
import { conflict, DomainError, notFound } from '../platform/errors.js'
import type { Ids } from '../platform/ids.js'
import { compactContractId, formatContractId, randomInstanceDigits, type InstanceDigits } from './contract-id.js'
import {
  utcDay,
  type Contract,
  type ContractPackage,
  type ContractState,
  type ContractTariff,
  type Customer,
  type CustomerAddress,
  type HomeMarket,
  type PaymentDetails,
  type Vehicle,
} from './contract.js'
import * as repo from './customers.repository.js'
import { isValidIban } from './payment.js'

export interface CustomersDeps {
  db: Db
  tokens: Pick<TokensService, 'issueToken' | 'blockInTx' | 'listOfContract'>
  partners: { listPartners(): Promise<Partner[]> }
  jobs: { kick(): void }
  partyId: string
  clock: Clock
  ids: Ids
  instanceDigits?: InstanceDigits
}

export interface CreateCustomerInput {
  /** The customer id; a new UUID when absent (an OpenID Connect subject that is a UUID keeps the app's identity). */
  id?: string
  name: string
  email: string
  address?: CustomerAddress | null
  language?: string | null
  phone?: string | null
  payment?: PaymentDetails | null
  homeMarket: HomeMarket
  tariff: ContractTariff
  startDate?: string
  vehicle: { vin: string; model: string; deliveryDate: string; isNew?: boolean }
  packages?: ContractPackage[]
}

/** What the customer changes in the customer area: name, contact and address. */
export interface ChangeContactInput {
  name: string
  phone: string | null
  address: CustomerAddress
}

/** Runs inside the transaction that creates a customer (an account, a used e-mail link). */
export type CreatedInTx = (tx: Db, created: { customer: Customer; contract: Contract }) => Promise<void>

export interface ChangeContractInput {
  tariff?: ContractTariff
  state?: ContractState
  endDate?: string | null
  noCredit?: boolean
  packages?: ContractPackage[]
}

/** The UI language of a home market, sent as the token's `language`. */
const LANGUAGE: Record<HomeMarket, string> = { DE: 'de', SI: 'sl', EE: 'et' }

/**
 * Customers and their contracts, and the tokens each contract holds (issued through the Tokens
 * module, in the same transaction, so the pushes to CPOs are queued with the change).
 */
export const createCustomersService = (deps: CustomersDeps) => {
  const { db, clock, ids } = deps
  const instanceDigits = deps.instanceDigits ?? randomInstanceDigits

  /**
   * Creates the customer, the contract (a fresh eMA id) and its APP_USER token; `alsoInTx` adds
   * writes that must commit with them (the login account of a registration).
   */
  const createCustomer = async (input: CreateCustomerInput, opts: { alsoInTx?: CreatedInTx } = {}) => {
    const partners = await deps.partners.listPartners()
    const now = clock.now()
    const result = await db.transaction(async (tx) => {
      const customer: Customer = {
        id: input.id ?? ids.uuid(),
        name: input.name,
        email: input.email,
        address: input.address ?? null,
        language: input.language ?? null,
        phone: input.phone ?? null,
        payment: input.payment ?? null,
        deletedAt: null,
        createdAt: now,
        updatedAt: now,
      }
      await repo.insertCustomer(tx, customer)
      const contract = await insertNewContract(tx, customer.id, input, now)
      const app = await deps.tokens.issueToken(tx, partners, {
        contractId: contract.contractId,
        type: 'APP_USER',
        language: LANGUAGE[contract.homeMarket],
        groupId: compactContractId(contract.contractId),
        visualNumber: null,
      })
      await opts.alsoInTx?.(tx, { customer, contract })
      return { customer, contract, tokens: [app] }
    })
    deps.jobs.kick()
    return result
  }

  const insertNewContract = async (tx: Db, customerId: string, input: CreateCustomerInput, now: Date) => {
    for (let attempt = 0; attempt < 10; attempt++) {
      const contract: Contract = {
        contractId: formatContractId(input.homeMarket, deps.partyId, instanceDigits()),
        customerId,
        homeMarket: input.homeMarket,
        tariff: input.tariff,
        state: 'active',
        startDate: input.startDate ?? utcDay(now),
        endDate: null,
        noCredit: false,
        vehicle: { ...input.vehicle, isNew: input.vehicle.isNew ?? false },
        packages: input.packages ?? [],
        createdAt: now,
        updatedAt: now,
      }
      if (await repo.insertContract(tx, contract)) return contract
    }
    throw new Error('could not draw an unused contract number in 10 attempts')
  }

  const requireContract = async (tx: Db, contractId: string, forUpdate = false) => {
    const contract = await repo.findContract(tx, contractId, { forUpdate })
    if (!contract) throw notFound('contract_not_found', `No contract ${contractId}`)
    return contract
  }

  /**
   * Issues an RFID card. With `replacesUid`, the lost card is blocked in the same transaction
   * (the replacement card fee is billed from the new card's issue; billing's job).
   */
  const issueCard = async (contractId: string, opts: { replacesUid?: string } = {}) => {
    const partners = await deps.partners.listPartners()
    const card = await db.transaction(async (tx) => {
      const contract = await requireContract(tx, contractId, true)
      if (contract.state === 'terminated') throw conflict('contract_terminated', `Contract ${contractId} is terminated`)
      if (opts.replacesUid) {
        const old = await deps.tokens.blockInTx(tx, partners, opts.replacesUid, 'RFID', 'replaced')
        if (old.contractId !== contractId) throw conflict('token_of_other_contract', `Card ${opts.replacesUid} belongs to another contract`)
      }
      const cards = (await deps.tokens.listOfContract(contractId, tx)).filter((t) => t.type === 'RFID').length
      return deps.tokens.issueToken(tx, partners, {
        contractId,
        type: 'RFID',
        language: LANGUAGE[contract.homeMarket],
        groupId: compactContractId(contractId),
        visualNumber: `${contractId}-${String(cards + 1).padStart(2, '0')}`,
      })
    })
    deps.jobs.kick()
    return card
  }

  /** Changes a contract; terminating it also blocks all its tokens (CPOs that whitelist must stop). */
  const changeContract = async (contractId: string, input: ChangeContractInput) => {
    const partners = await deps.partners.listPartners()
    const changed = await db.transaction(async (tx) => {
      const current = await requireContract(tx, contractId, true)
      if (current.state === 'terminated') throw conflict('contract_terminated', `Contract ${contractId} is terminated`)
      const next: Contract = { ...current, ...definedOnly(input), updatedAt: clock.now() }
      if (next.state === 'cancelled' && !next.endDate) throw conflict('end_date_required', 'A cancelled contract needs an end_date')
      if (next.state === 'terminated') next.endDate ??= utcDay(clock.now())
      await repo.updateContract(tx, next)
      if (next.state === 'terminated') {
        for (const t of await deps.tokens.listOfContract(contractId, tx))
          if (t.valid) await deps.tokens.blockInTx(tx, partners, t.uid, t.type, 'contract_terminated')
      }
      return next
    })
    deps.jobs.kick()
    return changed
  }

  /**
   * Changes the vehicle of a contract. A different VIN is a different car: the new-vehicle flag is
   * cleared, because the benefits cannot move to another vehicle (price lists, footnote 1).
   */
  const changeVehicle = async (contractId: string, vehicle: Omit<Vehicle, 'isNew'>) =>
    db.transaction(async (tx) => {
      const current = await requireContract(tx, contractId, true)
      if (current.state === 'terminated') throw conflict('contract_terminated', `Contract ${contractId} is terminated`)
      const sameCar = current.vehicle.vin === vehicle.vin
      const next: Contract = { ...current, vehicle: { ...vehicle, isNew: sameCar && current.vehicle.isNew }, updatedAt: clock.now() }
      await repo.updateContract(tx, next)
      return next
    })

  const requireLiveCustomer = async (tx: Db, customerId: string) => {
    const customer = await repo.findCustomer(tx, customerId, { forUpdate: true })
    if (!customer || customer.deletedAt) throw notFound('customer_not_found', `No customer ${customerId}`)
    return customer
  }

  /** Changes name, phone and address (what the invoice is addressed to from the next invoice on). */
  const changeContact = async (customerId: string, input: ChangeContactInput) =>
    db.transaction(async (tx) => {
      const next: Customer = {
        ...(await requireLiveCustomer(tx, customerId)),
        name: input.name,
        phone: input.phone,
        address: input.address,
        updatedAt: clock.now(),
      }
      await repo.updateCustomer(tx, next)
      return next
    })

  /** Changes how the customer pays. */
  const changePayment = async (customerId: string, payment: PaymentDetails) => {
    if (payment.method === 'SEPA_DIRECT_DEBIT' && !isValidIban(payment.iban))
      throw new DomainError('invalid_iban', 'The IBAN is not valid', 400)
    return db.transaction(async (tx) => {
      const next: Customer = { ...(await requireLiveCustomer(tx, customerId)), payment, updatedAt: clock.now() }
      await repo.updateCustomer(tx, next)
      return next
    })
  }

  const getContract = async (contractId: string): Promise<{ contract: Contract; tokens: TokenRecord[] }> => {
    const contract = await requireContract(db, contractId)
    return { contract, tokens: await deps.tokens.listOfContract(contractId) }
  }

  const getCustomer = async (id: string) => {
    const customer = await repo.findCustomer(db, id)
    if (!customer) throw notFound('customer_not_found', `No customer ${id}`)
    const contracts = await repo.listContractsOfCustomer(db, id)
    return {
      customer,
      contracts: await Promise.all(contracts.map(async (c) => ({ contract: c, tokens: await deps.tokens.listOfContract(c.contractId) }))),
    }
  }

  return {
    createCustomer,
    issueCard,
    changeContract,
    changeVehicle,
    changeContact,
    changePayment,
    getContract,
    getCustomer,
    /** A contract, or undefined (without its tokens). */
    findContract: (contractId: string) => repo.findContract(db, contractId),
    /** Several contracts in one statement (without their tokens); unknown ids are left out. */
    findContracts: (contractIds: string[]) => repo.findContracts(db, contractIds),
    /** A customer's contracts, oldest first (none for an unknown customer). */
    contractsOfCustomer: (customerId: string) => repo.listContractsOfCustomer(db, customerId),
  }
}

const definedOnly = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>

export type CustomersService = ReturnType<typeof createCustomersService>
