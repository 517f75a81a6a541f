import { eq, inArray } from 'drizzle-orm'
import type { Db } from '../db/client.js'
import { contracts, customers } from '../db/schema/index.js'
import type { Contract, ContractPackage, Customer } from './contract.js'

type ContractRow = typeof contracts.$inferSelect
type CustomerRow = typeof customers.$inferSelect

const fromDbCustomer = (r: CustomerRow): Customer => ({
  id: r.id,
  name: r.name,
  email: r.email,
  address:
    r.addressStreet !== null && r.addressPostalCode !== null && r.addressCity !== null && r.addressCountry !== null
      ? { street: r.addressStreet, postalCode: r.addressPostalCode, city: r.addressCity, country: r.addressCountry }
      : null,
  language: r.language,
  phone: r.phone,
  payment: r.payment,
  deletedAt: r.deletedAt,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
})

const toDbCustomer = (c: Customer): CustomerRow => ({
  id: c.id,
  name: c.name,
  email: c.email,
  addressStreet: c.address?.street ?? null,
  addressPostalCode: c.address?.postalCode ?? null,
  addressCity: c.address?.city ?? null,
  addressCountry: c.address?.country ?? null,
  language: c.language,
  phone: c.phone,
  payment: c.payment,
  deletedAt: c.deletedAt,
  createdAt: c.createdAt,
  updatedAt: c.updatedAt,
})

const fromDbContract = (r: ContractRow): Contract => ({
  contractId: r.contractId,
  customerId: r.customerId,
  homeMarket: r.homeMarket as Contract['homeMarket'],
  tariff: r.tariff as Contract['tariff'],
  state: r.state as Contract['state'],
  startDate: r.startDate,
  endDate: r.endDate,
  noCredit: r.noCredit,
  vehicle: { vin: r.vehicleVin, model: r.vehicleModel, deliveryDate: r.vehicleDeliveryDate, isNew: r.vehicleIsNew },
  packages: r.packages as ContractPackage[],
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
})

const toDbContract = (c: Contract): ContractRow => ({
  contractId: c.contractId,
  customerId: c.customerId,
  homeMarket: c.homeMarket,
  tariff: c.tariff,
  state: c.state,
  startDate: c.startDate,
  endDate: c.endDate,
  noCredit: c.noCredit,
  vehicleVin: c.vehicle.vin,
  vehicleModel: c.vehicle.model,
  vehicleDeliveryDate: c.vehicle.deliveryDate,
  vehicleIsNew: c.vehicle.isNew,
  packages: c.packages,
  createdAt: c.createdAt,
  updatedAt: c.updatedAt,
})

export const insertCustomer = async (db: Db, c: Customer) => {
  await db.insert(customers).values(toDbCustomer(c))
}

export const findCustomer = async (db: Db, id: string, opts: { forUpdate?: boolean } = {}): Promise<Customer | undefined> => {
  const query = db.select().from(customers).where(eq(customers.id, id))
  const [row] = opts.forUpdate ? await query.for('update') : await query
  return row ? fromDbCustomer(row) : undefined
}

export const updateCustomer = async (db: Db, c: Customer) => {
  const { id, createdAt, ...rest } = toDbCustomer(c)
  await db.update(customers).set(rest).where(eq(customers.id, id))
}

/** Inserts unless the contract id is taken; answers whether it was inserted. */
export const insertContract = async (db: Db, c: Contract): Promise<boolean> => {
  const rows = await db.insert(contracts).values(toDbContract(c)).onConflictDoNothing().returning({ id: contracts.contractId })
  return rows.length === 1
}

export const findContract = async (db: Db, contractId: string, opts: { forUpdate?: boolean } = {}): Promise<Contract | undefined> => {
  const query = db.select().from(contracts).where(eq(contracts.contractId, contractId))
  const [row] = opts.forUpdate ? await query.for('update') : await query
  return row ? fromDbContract(row) : undefined
}

/** Several contracts by id in one statement (rating's batch read). */
export const findContracts = async (db: Db, contractIds: string[]): Promise<Contract[]> =>
  contractIds.length === 0 ? [] : (await db.select().from(contracts).where(inArray(contracts.contractId, contractIds))).map(fromDbContract)

export const listContractsOfCustomer = async (db: Db, customerId: string): Promise<Contract[]> =>
  (await db.select().from(contracts).where(eq(contracts.customerId, customerId)).orderBy(contracts.createdAt)).map(fromDbContract)

export const updateContract = async (db: Db, c: Contract) => {
  const { contractId, customerId, createdAt, ...rest } = toDbContract(c)
  await db.update(contracts).set(rest).where(eq(contracts.contractId, contractId))
}
