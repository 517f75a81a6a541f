// What a customer does with their own contract in the app: see it, change the tariff, book and
// cancel IONITY Plus, order a replacement card (a one-off fee), delete the account. Contract
// changes go through the customers service; billing adds the fee and date rules.
import type { Contract, ContractTariff, CustomerQueries, CustomersService } from '../customers/index.js'
import type { Db } from '../db/client.js'
import type { Clock } from '../platform/clock.js'
import { conflict, notFound } from '../platform/errors.js'
import type { Ids } from '../platform/ids.js'
import type { Catalog } from '../catalog/index.js'
import * as brepo from './billing.repository.js'
import { cancellationDate } from './contract-dates.js'
import { catalogOn } from './invoices.service.js'
import { INVOICE_CURRENCY } from './markets.js'
import { Decimal } from './money.js'
import type { VouchersService } from './vouchers.service.js'

export interface AccountDeps {
  db: Db
  clock: Clock
  ids: Pick<Ids, 'uuid'>
  catalog: Catalog
  customers: Pick<CustomersService, 'getContract' | 'getCustomer' | 'changeContract' | 'issueCard'>
  queries: Pick<CustomerQueries, 'pseudonymiseCustomer'>
  vouchers: Pick<VouchersService, 'vouchersOfContract'>
}

const today = (clock: Clock) => clock.now().toISOString().slice(0, 10)
const activePackage = (c: Contract, day: string) => c.packages.find((p) => p.code === 'IONITY_PLUS' && (!p.endsAt || p.endsAt >= day))

export const createAccountService = (deps: AccountDeps) => {
  const { clock } = deps

  /** The customer's current contract: the newest one not terminated (else the newest). */
  const currentContractId = async (customerId: string): Promise<string> => {
    const { contracts } = await deps.customers.getCustomer(customerId)
    const open = contracts.filter((c) => c.contract.state !== 'terminated')
    const pick = (open.length ? open : contracts).at(-1)
    if (!pick) throw notFound('contract_not_found', 'The customer has no contract')
    return pick.contract.contractId
  }

  const contractOf = async (customerId: string) => {
    const contractId = await currentContractId(customerId)
    const { contract, tokens } = await deps.customers.getContract(contractId)
    return { contract, cards: tokens.filter((t) => t.type === 'RFID'), vouchers: await deps.vouchers.vouchersOfContract(contractId) }
  }

  const changeTariff = async (customerId: string, tariff: ContractTariff) =>
    deps.customers.changeContract(await currentContractId(customerId), { tariff })

  /** Books IONITY Plus from today; its contract date follows from the booking day (contract-dates.ts). */
  const bookPackage = async (customerId: string) => {
    const { contract } = await deps.customers.getContract(await currentContractId(customerId))
    const day = today(clock)
    if (contract.state !== 'active') throw conflict('contract_not_active', 'Packages can be booked on an active contract only')
    if (activePackage(contract, day)) throw conflict('package_already_booked', 'IONITY Plus is booked already')
    return deps.customers.changeContract(contract.contractId, {
      packages: [...contract.packages, { code: 'IONITY_PLUS', bookedAt: day, endsAt: null }],
    })
  }

  /** Cancels IONITY Plus: it ends on its next contract date (the earliest a cancellation takes effect). */
  const cancelPackage = async (customerId: string) => {
    const { contract } = await deps.customers.getContract(await currentContractId(customerId))
    const day = today(clock)
    const pkg = activePackage(contract, day)
    if (!pkg) throw conflict('package_not_booked', 'IONITY Plus is not booked')
    const endsAt = cancellationDate(pkg.bookedAt, day)
    const packages = contract.packages.map((p) =>
      p === pkg ? { ...p, endsAt: pkg.endsAt && pkg.endsAt < endsAt ? pkg.endsAt : endsAt } : p,
    )
    return deps.customers.changeContract(contract.contractId, { packages })
  }

  /**
   * Cancels the charging contract: it ends on its next contract date (minimum term one month, at most
   * one month's notice); IONITY Plus ends with it (fee-lines.ts stops both).
   */
  const cancelContract = async (customerId: string) => {
    const { contract } = await deps.customers.getContract(await currentContractId(customerId))
    if (contract.state !== 'active') throw conflict('contract_not_active', 'The contract is already cancelled or ended')
    return deps.customers.changeContract(contract.contractId, {
      state: 'cancelled',
      endDate: cancellationDate(contract.startDate, today(clock)),
    })
  }

  /** Issues a replacement card (blocking the lost one) and records the home market's replacement card fee. */
  const replaceCard = async (customerId: string, replacesUid: string) => {
    const contractId = await currentContractId(customerId)
    const card = await deps.customers.issueCard(contractId, { replacesUid })
    const { contract } = await deps.customers.getContract(contractId)
    const day = today(clock)
    const fee = new Decimal(catalogOn(deps.catalog, contract.homeMarket)(day).tariffs[contract.tariff].replacementCardFee)
    const currency = INVOICE_CURRENCY[contract.homeMarket]
    await brepo.insertOneOffFee(deps.db, {
      id: deps.ids.uuid(),
      contractId,
      kind: 'REPLACEMENT_CARD',
      description: `Replacement card ${card.visualNumber ?? card.uid}`,
      label: card.visualNumber ?? card.uid,
      amount: fee,
      occurredOn: day,
      currency,
      reference: card.uid,
      createdAt: clock.now(),
    })
    return { card, fee, currency }
  }

  /**
   * Deletes the account: every open contract is terminated (its tokens blocked), then the personal
   * data is pseudonymised. Invoices (with the name they were issued to) and CDRs are kept.
   */
  const deleteAccount = async (customerId: string) => {
    const { contracts } = await deps.customers.getCustomer(customerId)
    for (const c of contracts)
      if (c.contract.state !== 'terminated') await deps.customers.changeContract(c.contract.contractId, { state: 'terminated' })
    await deps.queries.pseudonymiseCustomer(customerId)
  }

  return { currentContractId, contractOf, changeTariff, bookPackage, cancelPackage, cancelContract, replaceCard, deleteAccount }
}

export type AccountService = ReturnType<typeof createAccountService>
