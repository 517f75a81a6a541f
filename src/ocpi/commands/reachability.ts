import type { CredentialsService, Partner } from '../credentials/index.js'
import type { HubClientInfoService } from '../hubclientinfo/index.js'
import type { Clock } from '../../platform/clock.js'

export type Unreachable = 'partner_unregistered' | 'partner_offline'

export interface Reachability {
  /** The partner connection is registered and no hub reports the party other than CONNECTED. */
  connected: boolean
  /** Why not, when not. */
  why: Unreachable | null
  /** The partner's commands endpoint (Receiver), when it lists one. */
  commandsUrl: string | null
  partner: Partner | null
}

const TTL_MS = 5_000

/**
 * Whether a CPO party can be reached: its partner connection REGISTERED, and HubClientInfo (when that
 * connection, a hub, told us about the party) CONNECTED. No report means a direct connection: reachable.
 * Answers are cached for 5 s per (partner, party) and refreshed in the background, so a map
 * request with many operators costs no lookups, and a status change shows within seconds.
 */
export const createReachability = (deps: {
  partners: Pick<CredentialsService, 'findPartner'>
  hubClientInfo: Pick<HubClientInfoService, 'partyStatus'>
  clock: Clock
}) => {
  const cache = new Map<string, { value: Promise<Reachability>; expires: number; refreshing: boolean }>()

  const lookup = async (partnerId: string, countryCode: string, partyId: string): Promise<Reachability> => {
    // Both reads at once: this runs on the start path, before every command.
    const [found, status] = await Promise.all([
      deps.partners.findPartner(partnerId),
      deps.hubClientInfo.partyStatus(partnerId, countryCode, partyId),
    ])
    if (!found) return { connected: false, why: 'partner_unregistered', commandsUrl: null, partner: null }
    const partner: Partner = found
    const endpoint =
      partner.endpoints.find((e) => e.identifier === 'commands' && e.role === 'RECEIVER') ??
      partner.endpoints.find((e) => e.identifier === 'commands')
    const commandsUrl = endpoint?.url ?? null
    if (partner.state !== 'REGISTERED' || !partner.outboundToken)
      return { connected: false, why: 'partner_unregistered', commandsUrl, partner }
    if (status !== undefined && status !== 'CONNECTED') return { connected: false, why: 'partner_offline', commandsUrl, partner }
    return { connected: true, why: null, commandsUrl, partner }
  }

  return {
    /**
     * `fresh` skips the cache (before sending a command: the answer decides a call). Otherwise an
     * expired answer is still served while one lookup refreshes it in the background, so map
     * requests never wait for a burst of partner lookups.
     */
    check(partnerId: string, countryCode: string, partyId: string, opts: { fresh?: boolean } = {}): Promise<Reachability> {
      const key = `${partnerId}/${countryCode.toUpperCase()}/${partyId.toUpperCase()}`
      const now = deps.clock.now().getTime()
      const hit = cache.get(key)
      if (hit && !opts.fresh) {
        if (hit.expires <= now && !hit.refreshing) {
          hit.refreshing = true
          const next = lookup(partnerId, countryCode, partyId)
          next.then(
            () => cache.set(key, { value: next, expires: deps.clock.now().getTime() + TTL_MS, refreshing: false }),
            () => {
              hit.refreshing = false
            },
          )
        }
        return hit.value
      }
      if (cache.size > 10_000) cache.clear()
      const value = lookup(partnerId, countryCode, partyId)
      cache.set(key, { value, expires: now + TTL_MS, refreshing: false })
      return value
    },
    /** Forget cached answers (after a registration change, and in tests that flip a status). */
    clear: () => cache.clear(),
  }
}

export type ReachabilityChecker = ReturnType<typeof createReachability>
