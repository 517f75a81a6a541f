// SQL for tariff versions. A version row is immutable except for a replay with the same
// `last_updated`, which replaces the object (an identical replay changes nothing).
import { sql } from 'drizzle-orm'
import { execRows, type Db } from '../../db/client.js'

export interface TariffKey {
  countryCode: string
  partyId: string
  tariffId: string
}
export interface TariffVersion {
  validFrom: Date
  object: Record<string, unknown> | null
}

const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`
const where = (k: TariffKey) => sql`country_code = ${k.countryCode} and party_id = ${k.partyId} and tariff_id = ${k.tariffId}`
const fromDbVersion = (r: { valid_from: Date | string; object: Record<string, unknown> | null }): TariffVersion => ({
  validFrom: new Date(r.valid_from),
  object: r.object,
})

/** The newest version (possibly a tombstone). */
export const findNewest = async (db: Db, k: TariffKey) => {
  const [row] = await execRows<{ valid_from: Date; object: Record<string, unknown> | null }>(
    db,
    sql`select valid_from, object from tariff_versions where ${where(k)} order by valid_from desc limit 1`,
  )
  return row ? fromDbVersion(row) : undefined
}

/**
 * Adds a version unless a newer one exists (checked in the same statement). `object` null is a
 * deletion. Answers false when ignored.
 */
export const insertVersion = async (
  db: Db,
  k: TariffKey,
  partnerId: string,
  validFrom: Date,
  object: Record<string, unknown> | null,
  at: Date,
) => {
  const rows = await execRows<{ ok: number }>(
    db,
    sql`insert into tariff_versions (country_code, party_id, tariff_id, partner_id, valid_from, object, received_at)
      select ${k.countryCode}, ${k.partyId}, ${k.tariffId}, ${partnerId}, ${ts(validFrom)}, ${object === null ? null : JSON.stringify(object)}::text::jsonb, ${ts(at)}
      where not exists (select 1 from tariff_versions where ${where(k)} and valid_from > ${ts(validFrom)})
      on conflict (country_code, party_id, tariff_id, valid_from) do update set object = excluded.object, partner_id = excluded.partner_id
      returning 1 as ok`,
  )
  return rows.length > 0
}

/**
 * The version in force at `at`: the newest one valid from `at` or earlier; when `at` is before
 * every version we hold, the oldest one (we cannot know what preceded it). Tombstones yield none.
 */
export const findValidAt = async (db: Db, k: TariffKey, at: Date) => {
  const [row] = await execRows<{ valid_from: Date; object: Record<string, unknown> | null }>(
    db,
    sql`(select valid_from, object, 0 as rank from tariff_versions where ${where(k)} and valid_from <= ${ts(at)} order by valid_from desc limit 1)
      union all (select valid_from, object, 1 as rank from tariff_versions where ${where(k)} order by valid_from asc limit 1)
      order by rank limit 1`,
  )
  return row ? fromDbVersion(row) : undefined
}

/** `findValidAt` for several (tariff, instant) pairs in one statement; answered in the order asked. */
export const findValidAtMany = async (db: Db, asks: { key: TariffKey; at: Date }[]) => {
  if (asks.length === 0) return []
  const rows = await execRows<{ i: number; valid_from: Date; object: Record<string, unknown> | null }>(
    db,
    sql`select r.i, v.valid_from, v.object
      from (values ${sql.join(
        asks.map((a, i) => sql`(${i}::int, ${a.key.countryCode}, ${a.key.partyId}, ${a.key.tariffId}, ${ts(a.at)})`),
        sql`, `,
      )}) as r(i, country_code, party_id, tariff_id, at)
      cross join lateral (
        (select t.valid_from, t.object, 0 as rank from tariff_versions t
          where t.country_code = r.country_code and t.party_id = r.party_id and t.tariff_id = r.tariff_id and t.valid_from <= r.at
          order by t.valid_from desc limit 1)
        union all
        (select t.valid_from, t.object, 1 as rank from tariff_versions t
          where t.country_code = r.country_code and t.party_id = r.party_id and t.tariff_id = r.tariff_id
          order by t.valid_from asc limit 1)
        order by rank limit 1
      ) v`,
  )
  const found = new Map(rows.map((r) => [Number(r.i), fromDbVersion(r)]))
  return asks.map((_, i) => found.get(i))
}

/** All tariffs of a party in force at `at` (same rule as `findValidAt`), deletions left out. */
export const findAllValidAt = async (db: Db, countryCode: string, partyId: string, at: Date) => {
  const rows = await execRows<{ object: Record<string, unknown> | null }>(
    db,
    sql`select distinct on (tariff_id) object from tariff_versions
      where country_code = ${countryCode} and party_id = ${partyId}
      order by tariff_id, (valid_from <= ${ts(at)}) desc, case when valid_from <= ${ts(at)} then valid_from end desc nulls last, valid_from asc`,
  )
  return rows.flatMap((r) => (r.object ? [r.object] : []))
}

export const activeTariffKeys = async (db: Db, partnerId: string) =>
  (
    await execRows<{ k: string }>(
      db,
      sql`select k from (select distinct on (country_code, party_id, tariff_id) country_code || '/' || party_id || '/' || tariff_id as k, object
      from tariff_versions where partner_id = ${partnerId} order by country_code, party_id, tariff_id, valid_from desc) t where object is not null`,
    )
  ).map((r) => r.k)
