// The exchange-rate table operators maintain (effective-dated; see fx.ts for the convention).
import type { Db } from '../db/client.js'
import type { Clock } from '../platform/clock.js'
import { DomainError, notFound } from '../platform/errors.js'
import * as brepo from './billing.repository.js'
import type { ExchangeRate } from './fx.js'

export const createRatesService = (deps: { db: Db; clock: Clock }) => ({
  /** Adds a rate, or replaces the one of the same pair and day. */
  putRate: async (r: ExchangeRate) => {
    if (!r.rate.gt(0)) throw new DomainError('invalid_rate', 'A rate must be positive', 400)
    if (r.base === r.quote) throw new DomainError('invalid_rate', 'base and quote must differ', 400)
    await brepo.upsertRate(deps.db, r, deps.clock.now())
    return r
  },
  listRates: (base?: string) => brepo.listRates(deps.db, base),
  deleteRate: async (k: { base: string; quote: string; validFrom: string }) => {
    if (!(await brepo.deleteRate(deps.db, k))) throw notFound('rate_not_found', `No ${k.base}/${k.quote} rate from ${k.validFrom}`)
  },
})

export type RatesService = ReturnType<typeof createRatesService>
