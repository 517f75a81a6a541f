// Benchmark: monthly invoices. No speed goal is stated in issue 8; the reference used here is our
// own: 100 000 contracts invoiced within one hour of the run starting ≈ 28 invoices/s.
// Run: npx tsx scripts/bench/invoices.ts [rounds=5] [contracts=300] [chargesPerContract=10]
//   with BENCH_PG=postgres://postgres@127.0.0.1:5432/postgres (the default) reachable.
// (a) the pure calculation (`calculateInvoice`) on one core; (b) the real invoice run against
// Postgres (rating's own charges query, credits, vouchers, numbering, insert in one transaction),
// sequential and with 4 concurrent workers, one month per round. Reports medians and ratios.
import { randomBytes, randomUUID } from 'node:crypto'
import pino from 'pino'
import postgres from 'postgres'
import { calculateInvoice } from '../../src/billing/invoice-calc.js'
import { createInvoicesService } from '../../src/billing/invoices.service.js'
import { Decimal } from '../../src/billing/money.js'
import { vatRateOn } from '../../src/billing/vat.js'
import type { RatedCharge } from '../../src/billing/billing.types.js'
import { findContract, findCustomer } from '../../src/customers/customers.repository.js'
import { createCustomerQueries } from '../../src/customers/index.js'
import { loadConfig } from '../../src/config.js'
import { openDatabase } from '../../src/db/client.js'
import { charges as chargesTable, contracts, customers, exchangeRates } from '../../src/db/schema/index.js'
import { systemClock } from '../../src/platform/clock.js'
import { randomIds } from '../../src/platform/ids.js'
import { catalogVersionAt, defaultCatalog } from '../../src/catalog/index.js'
import { listActiveCharges } from '../../src/rating/rating.repository.js'

const REFERENCE_PER_SECOND = 100_000 / 3600
const rounds = Number(process.argv[2] ?? 5)
const nContracts = Number(process.argv[3] ?? 300)
const perContract = Number(process.argv[4] ?? 10)
const serverUrl = process.env.BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres'

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}
const month = (k: number) => `2025-${String(k + 1).padStart(2, '0')}`
const chargeLines = [
  { kind: 'energy', quantity: '20.5', unit: 'kWh', unit_price: '0.42', amount: '8.61', text: '20.5 kWh × 0.42' },
  { kind: 'session_fee', quantity: '1', unit: 'session', unit_price: '0.59', amount: '0.59', text: 'session fee' },
]

const charge = (contractId: string, m: string, i: number): RatedCharge => {
  const end = new Date(`${m}-${String(2 + i).padStart(2, '0')}T11:30:00Z`)
  const dkk = i % 4 === 3
  return {
    id: randomUUID(),
    cdrId: randomUUID(),
    contractId,
    kind: 'CHARGE',
    rule: 'fixed_price',
    currency: dkk ? 'DKK' : 'EUR',
    total: new Decimal(dkk ? '39.39' : '9.20'),
    lines: chargeLines,
    catalogVersion: 'DE@2024-01-01T00:00:00Z',
    cdrStart: new Date(end.getTime() - 5_400_000),
    cdrEnd: end,
  }
}

const pureRounds = () => {
  const contract = {
    homeMarket: 'DE' as const,
    tariff: 'ACTIVE' as const,
    startDate: '2024-03-10',
    endDate: null,
    state: 'active' as const,
    vehicle: { vin: 'X', model: 'i4', deliveryDate: '2024-03-01', isNew: true },
    packages: [{ code: 'IONITY_PLUS' as const, bookedAt: '2024-03-10' }],
  }
  const charges = Array.from({ length: perContract }, (_, i) => charge('C', '2025-04', i))
  const input = {
    contract,
    month: '2025-04',
    currency: 'EUR',
    charges,
    oneOffFees: [],
    rates: [{ base: 'EUR', quote: 'DKK', validFrom: '2025-01-01', rate: new Decimal('7.46') }],
    credits: [{ id: 'v', source: 'VOUCHER' as const, sourceRef: 'X', currency: 'EUR', remaining: new Decimal('5') }],
    feeMonthVouchers: [],
    firstContractOfVehicle: true,
    catalogOn: (d: string) => catalogVersionAt(defaultCatalog, 'DE', Date.parse(`${d}T12:00:00Z`))!,
    vatRateOn: (d: string) => vatRateOn('DE', d),
  }
  const perRound = 5000
  const run = () => {
    const t0 = performance.now()
    for (let i = 0; i < perRound; i++) if (!calculateInvoice(input).ok) throw new Error('calc failed')
    return perRound / ((performance.now() - t0) / 1000)
  }
  run()
  return Array.from({ length: rounds }, run)
}

const main = async () => {
  const pure = pureRounds()
  const name = `emsp_bench_${randomBytes(6).toString('hex')}`
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database ${name}`)
  try {
    const url = new URL(serverUrl)
    url.pathname = `/${name}`
    const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 10 })
    const db = database.db
    const now = new Date('2025-01-01T00:00:00Z')
    const ids: string[] = []
    for (let c = 0; c < nContracts; c++) {
      const customerId = randomUUID()
      const contractId = `DE-BMW-C${String(c).padStart(8, '0')}-0`
      ids.push(contractId)
      await db
        .insert(customers)
        .values({ id: customerId, name: `Customer ${c}`, email: `c${c}@example.com`, createdAt: now, updatedAt: now })
      await db.insert(contracts).values({
        contractId,
        customerId,
        homeMarket: 'DE',
        tariff: 'ACTIVE',
        state: 'active',
        startDate: '2024-12-10',
        endDate: null,
        noCredit: false,
        vehicleVin: `VIN${c}`,
        vehicleModel: 'i4',
        vehicleDeliveryDate: '2020-01-01',
        vehicleIsNew: false,
        packages: [],
        createdAt: now,
        updatedAt: now,
      })
      for (let k = 0; k < rounds + 1; k++) {
        const rows = Array.from({ length: perContract }, (_, i) => charge(contractId, month(k), i)).map((x) => ({
          ...x,
          customerId,
          total: x.total.toFixed(2),
          lines: chargeLines,
          ratedAt: now,
          supersededBy: null,
        }))
        await db.insert(chargesTable).values(rows)
      }
    }
    await db.insert(exchangeRates).values({ base: 'EUR', quote: 'DKK', validFrom: '2024-01-01', rate: '7.46', createdAt: now })
    const customersPort = {
      getContract: async (id: string) => ({ contract: (await findContract(db, id))!, tokens: [] }),
      getCustomer: async (id: string) => ({ customer: (await findCustomer(db, id))!, contracts: [] }),
    }
    const service = createInvoicesService({
      db,
      clock: systemClock,
      ids: randomIds,
      log: pino({ level: 'silent' }),
      catalog: defaultCatalog,
      charges: { listCharges: (q) => listActiveCharges(db, q) },
      customers: customersPort as never,
      queries: createCustomerQueries({ db, clock: systemClock }),
      // The charges here have no CDR rows: the session facts (one CDR and one Location read per session) are not measured.
      sessions: { sessionFacts: async () => new Map() },
      seller: loadConfig({}).invoices.seller,
      paymentTermDays: 14,
    })
    const runMonth = async (m: string, workers: number) => {
      const queue = [...ids]
      const t0 = performance.now()
      await Promise.all(
        Array.from({ length: workers }, async () => {
          for (let id = queue.shift(); id; id = queue.shift())
            if (!(await service.runInvoice(id, m, new Date())).created) throw new Error('not created')
        }),
      )
      return ids.length / ((performance.now() - t0) / 1000)
    }
    await runMonth(month(0), 4) // warm-up
    const seq: number[] = []
    const par: number[] = []
    for (let k = 1; k <= rounds; k++) (k % 2 ? seq : par).push(await runMonth(month(k), k % 2 ? 1 : 4))
    const fmt = (n: number) => n.toFixed(0).padStart(8)
    console.log(
      `pure calculateInvoice (${perContract} charges, FX, waivers, credit): median ${fmt(median(pure))} invoices/s  min ${fmt(Math.min(...pure))}  max ${fmt(Math.max(...pure))}`,
    )
    console.log(
      `invoice run on Postgres, 1 worker:  median ${fmt(median(seq))} invoices/s  (${seq.length} rounds)  ratio to ${REFERENCE_PER_SECOND.toFixed(1)}/s: ${(median(seq) / REFERENCE_PER_SECOND).toFixed(1)}`,
    )
    console.log(
      `invoice run on Postgres, 4 workers: median ${fmt(median(par))} invoices/s  (${par.length} rounds)  ratio to ${REFERENCE_PER_SECOND.toFixed(1)}/s: ${(median(par) / REFERENCE_PER_SECOND).toFixed(1)}`,
    )
    await database.close()
  } finally {
    await admin.unsafe(`drop database if exists ${name} with (force)`)
    await admin.end()
  }
}

await main()
