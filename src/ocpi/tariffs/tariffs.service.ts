import type { Db } from '../../db/client.js'
import type { Clock } from '../../platform/clock.js'
import { assertOwnsParty, assertPathMatchesBody, type Partner } from '../credentials/index.js'
import { UnknownObjectError } from '../v221/errors.js'
import { parseOcpiDateTime } from '../v221/pagination.js'
import * as repo from './tariffs.repository.js'
import type { Tariff } from './tariffs.schema.js'

export interface TariffPath {
  country_code: string
  party_id: string
  tariff_id: string
}
export type WriteOutcome = 'created' | 'updated' | 'ignored'
type Caller = Pick<Partner, 'id' | 'roles'>

const keyOf = (countryCode: string, partyId: string, tariffId: string): repo.TariffKey => ({
  countryCode: countryCode.toUpperCase(),
  partyId: partyId.toUpperCase(),
  tariffId: tariffId.toUpperCase(),
})

/**
 * The Tariffs Receiver (OCPI 2.2.1 §11.2.2) keeping every version: a version is valid from its
 * `last_updated` until the next one; a DELETE ends the tariff from the moment we receive it.
 */
export const createTariffsService = (deps: { db: Db; clock: Clock }) => {
  const { db, clock } = deps

  const put = async (partner: Caller, path: TariffPath, body: Tariff): Promise<WriteOutcome> => {
    assertOwnsParty(partner, path.country_code, path.party_id)
    assertPathMatchesBody({ ...path }, body, [
      ['country_code', 'country_code'],
      ['party_id', 'party_id'],
      ['tariff_id', 'id'],
    ])
    const key = keyOf(path.country_code, path.party_id, path.tariff_id)
    const validFrom = parseOcpiDateTime(body.last_updated) ?? new Date(body.last_updated)
    const before = await repo.findNewest(db, key)
    const stored = await repo.insertVersion(db, key, partner.id, validFrom, body, clock.now())
    if (!stored) return 'ignored'
    return before?.object ? 'updated' : 'created'
  }

  return {
    putTariff: put,
    /** A Tariff pulled from the partner's Sender interface, stored as if pushed. */
    storePulled: (partner: Caller, tariff: Tariff) =>
      put(partner, { country_code: tariff.country_code, party_id: tariff.party_id, tariff_id: tariff.id }, tariff),
    /** DELETE: the tariff is no longer used from now on; its versions stay for pricing past CDRs. */
    deleteTariff: async (partner: Caller, path: TariffPath) => {
      assertOwnsParty(partner, path.country_code, path.party_id)
      const key = keyOf(path.country_code, path.party_id, path.tariff_id)
      const newest = await repo.findNewest(db, key)
      if (!newest?.object) throw new UnknownObjectError('tariff', `Unknown tariff ${path.tariff_id}`)
      // Never before the version it ends, whatever the CPO's clock said.
      const at = new Date(Math.max(clock.now().getTime(), newest.validFrom.getTime() + 1))
      await repo.insertVersion(db, key, partner.id, at, null, clock.now())
    },
    getTariff: async (partner: Caller, path: TariffPath) => {
      assertOwnsParty(partner, path.country_code, path.party_id)
      const newest = await repo.findNewest(db, keyOf(path.country_code, path.party_id, path.tariff_id))
      return newest?.object ? (newest.object as Tariff) : undefined
    },
    /** The version of a tariff in force at `at` (a CDR's start), for pricing audits; undefined when unknown or deleted. */
    findTariffValidAt: async (countryCode: string, partyId: string, tariffId: string, at: Date) => {
      const version = await repo.findValidAt(db, keyOf(countryCode, partyId, tariffId), at)
      return version?.object ? (version.object as Tariff) : undefined
    },
    /** `findTariffValidAt` for several (tariff, instant) pairs in one statement; answered in the order asked. */
    findTariffsValidAt: async (asks: { countryCode: string; partyId: string; tariffId: string; at: Date }[]) =>
      (
        await repo.findValidAtMany(
          db,
          asks.map((a) => ({ key: keyOf(a.countryCode, a.partyId, a.tariffId), at: a.at })),
        )
      ).map((version) => (version?.object ? (version.object as Tariff) : undefined)),
    /** Every tariff of a party in force at `at`. */
    tariffsValidAt: async (countryCode: string, partyId: string, at: Date) =>
      (await repo.findAllValidAt(db, countryCode.toUpperCase(), partyId.toUpperCase(), at)) as Tariff[],
    /** After a complete full pull: tariffs of this partner that were not listed get a deletion version. */
    markVanished: async (partnerId: string, seen: Set<string>) => {
      const missing = (await repo.activeTariffKeys(db, partnerId)).filter((k) => !seen.has(k))
      for (const k of missing) {
        const [countryCode, partyId, tariffId] = k.split('/') as [string, string, string]
        const newest = await repo.findNewest(db, { countryCode, partyId, tariffId })
        const at = new Date(Math.max(clock.now().getTime(), (newest?.validFrom.getTime() ?? 0) + 1))
        await repo.insertVersion(db, { countryCode, partyId, tariffId }, partnerId, at, null, clock.now())
      }
      return missing.length
    },
    keyOfPulled: (t: Tariff) => {
      const k = keyOf(t.country_code, t.party_id, t.id)
      return `${k.countryCode}/${k.partyId}/${k.tariffId}`
    },
  }
}

export type TariffsService = ReturnType<typeof createTariffsService>
