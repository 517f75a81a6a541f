// Reads and the account deletion that billing and the app need beyond the customers service
// (added for billing, issue 8; additive: nothing else in src/customers changes behaviour).
import { asc, eq } from 'drizzle-orm'
import type { Db } from '../db/client.js'
import { contracts, customerAccounts, customerAccountTokens, customers } from '../db/schema/index.js'
import type { Clock } from '../platform/clock.js'
import { notFound } from '../platform/errors.js'

export interface ContractRef {
  contractId: string
  customerId: string
  startDate: string
  endDate: string | null
}

export const createCustomerQueries = (deps: { db: Db; clock: Clock }) => {
  const { db } = deps
  return {
    /** Every contract (id, customer, dates), oldest first: the monthly invoice run walks them. */
    listContractRefs: async (): Promise<ContractRef[]> =>
      db
        .select({
          contractId: contracts.contractId,
          customerId: contracts.customerId,
          startDate: contracts.startDate,
          endDate: contracts.endDate,
        })
        .from(contracts)
        .orderBy(asc(contracts.createdAt), asc(contracts.contractId)),

    /**
     * The first contract ever made for a vehicle (by VIN, earliest created): new-vehicle benefits
     * belong to it only. A deleted account keeps its contracts' VINs, so the rule still holds.
     */
    firstContractIdOfVehicle: async (vin: string): Promise<string | undefined> => {
      const [row] = await db
        .select({ id: contracts.contractId })
        .from(contracts)
        .where(eq(contracts.vehicleVin, vin))
        .orderBy(asc(contracts.createdAt), asc(contracts.startDate), asc(contracts.contractId))
        .limit(1)
      return row?.id
    },

    /**
     * Account deletion: name and e-mail are replaced by a pseudonym, phone, address and payment
     * details are erased, the login and its pending e-mail links are deleted. The language stays (the
     * invoices that are kept are read in it; it identifies no one). Contracts (with
     * their VIN, needed for the one-benefit-per-vehicle rule and kept with invoices and CDRs as the
     * law requires) stay; ending them is the caller's job through the customers service.
     */
    pseudonymiseCustomer: async (customerId: string): Promise<void> =>
      db.transaction(async (tx) => {
        const now = deps.clock.now()
        const rows = await tx
          .update(customers)
          .set({
            name: `deleted customer ${customerId.slice(0, 8)}`,
            email: `deleted+${customerId}@invalid`,
            addressStreet: null,
            addressPostalCode: null,
            addressCity: null,
            addressCountry: null,
            phone: null,
            payment: null,
            deletedAt: now,
            updatedAt: now,
          })
          .where(eq(customers.id, customerId))
          .returning({ id: customers.id })
        if (rows.length === 0) throw notFound('customer_not_found', `No customer ${customerId}`)
        const [account] = await tx
          .delete(customerAccounts)
          .where(eq(customerAccounts.customerId, customerId))
          .returning({ email: customerAccounts.email })
        await tx.delete(customerAccountTokens).where(eq(customerAccountTokens.customerId, customerId))
        if (account) await tx.delete(customerAccountTokens).where(eq(customerAccountTokens.email, account.email))
      }),
  }
}

export type CustomerQueries = ReturnType<typeof createCustomerQueries>
