import { randomBytes, randomUUID } from 'node:crypto'

/** Identifier and secret generation, injected so tests can make them predictable. */
export interface Ids {
  /** A new UUID v4 for database keys and request ids. */
  uuid(): string
  /** A new credentials token: 32 random bytes, base64url (43 printable ASCII chars, within OCPI's string(64)). */
  token(): string
}

export const randomIds: Ids = {
  uuid: () => randomUUID(),
  token: () => randomBytes(32).toString('base64url'),
}
