import type { EnergyContract, ProfileType, TokenType, WhitelistType } from './tokens.schema.js'

/** One of our tokens (domain shape; the wire shape is `Token` in tokens.schema.ts). */
export interface TokenRecord {
  uid: string
  type: TokenType
  contractId: string
  visualNumber: string | null
  groupId: string | null
  valid: boolean
  whitelist: WhitelistType
  language: string | null
  /** Why it was blocked (`lost`, `replaced`, `admin`); null while valid. Never sent to CPOs. */
  blockedReason: string | null
  lastUpdated: Date
  createdAt: Date
  /** Wire fields we can read (spec examples) but do not store or issue. */
  defaultProfileType?: ProfileType | null
  energyContract?: EnergyContract | null
}

/** What the tokens module reads of a token's contract (joined with the token in one read). */
export interface ContractFacts {
  state: 'active' | 'cancelled' | 'terminated'
  /** `YYYY-MM-DD`, like `endDate` (the last day charging is allowed), null while open-ended. */
  startDate: string
  endDate: string | null
  noCredit: boolean
}

/** Whether a contract lets its tokens charge on a day: `ok`, or why not (see ContractStandingPort). */
export type ContractStanding = 'ok' | 'terminated' | 'ended' | 'not_started' | 'no_credit'

/**
 * The port through which the tokens module applies the product's contract rule: the customers
 * module's `contractStanding` (one rule for authorization, the expiry, the app and rating), wired by
 * app.ts. `day` is a UTC calendar date `YYYY-MM-DD` (`utcDay`, src/platform/clock.ts).
 */
export type ContractStandingPort = (contract: ContractFacts, day: string) => ContractStanding

/** Who owns the token on the wire: our party from config, our brand as issuer. */
export interface TokenOwner {
  countryCode: string
  partyId: string
  issuer: string
}

/**
 * Whitelist policy (OCPI notes §10.4): RFID cards are `ALLOWED` so a CPO may let a card charge at a
 * station that is offline or cannot reach us in time (a card at the reader has no fallback);
 * APP_USER tokens are `NEVER`, as the spec recommends: the app starts sessions by command, and
 * every use is checked in real time.
 */
export const whitelistFor = (type: TokenType): WhitelistType => (type === 'RFID' ? 'ALLOWED' : 'NEVER')
