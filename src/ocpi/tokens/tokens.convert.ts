import type { AuthorizationResult } from './tokens.service.js'
import type { AuthorizationInfo, LocationReferences, Token, TokenPatch } from './tokens.schema.js'
import type { TokenOwner, TokenRecord } from './tokens.model.js'

/** Our token as the Token object (OCPI notes §10.4); optional fields we do not have are omitted. */
export const toOcpiToken = (t: TokenRecord, owner: TokenOwner): Token => ({
  country_code: owner.countryCode,
  party_id: owner.partyId,
  uid: t.uid,
  type: t.type,
  contract_id: t.contractId,
  ...(t.visualNumber !== null ? { visual_number: t.visualNumber } : {}),
  issuer: owner.issuer,
  ...(t.groupId !== null ? { group_id: t.groupId } : {}),
  valid: t.valid,
  whitelist: t.whitelist,
  ...(t.language !== null ? { language: t.language } : {}),
  ...(t.defaultProfileType ? { default_profile_type: t.defaultProfileType } : {}),
  ...(t.energyContract ? { energy_contract: t.energyContract } : {}),
  last_updated: t.lastUpdated.toISOString().replace('.000Z', 'Z'),
})

/** A Token read from the wire (spec examples, a CPO's GET): the owner and the domain record. */
export const fromOcpiToken = (w: Token): { owner: TokenOwner; token: TokenRecord } => ({
  owner: { countryCode: w.country_code, partyId: w.party_id, issuer: w.issuer },
  token: {
    uid: w.uid,
    type: w.type,
    contractId: w.contract_id,
    visualNumber: w.visual_number ?? null,
    groupId: w.group_id ?? null,
    valid: w.valid,
    whitelist: w.whitelist,
    language: w.language ?? null,
    blockedReason: null,
    lastUpdated: new Date(w.last_updated.endsWith('Z') ? w.last_updated : `${w.last_updated}Z`),
    createdAt: new Date(w.last_updated.endsWith('Z') ? w.last_updated : `${w.last_updated}Z`),
    defaultProfileType: w.default_profile_type ?? null,
    energyContract: w.energy_contract ?? null,
  },
})

/** The PATCH we push when a token is blocked: only what changed, plus `last_updated` (OCPI notes §10.1). */
export const toOcpiBlockPatch = (t: TokenRecord): TokenPatch => ({
  valid: false,
  last_updated: t.lastUpdated.toISOString().replace('.000Z', 'Z'),
})

export const toOcpiAuthorizationInfo = (r: AuthorizationResult, owner: TokenOwner): AuthorizationInfo => ({
  allowed: r.allowed,
  token: toOcpiToken(r.token, owner),
  ...(r.location ? { location: r.location satisfies LocationReferences } : {}),
  ...(r.reference ? { authorization_reference: r.reference } : {}),
  ...(r.info ? { info: { language: 'en', text: r.info } } : {}),
})
