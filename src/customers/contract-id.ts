import { randomInt } from 'node:crypto'

/**
 * eMA contract ids: `<home market>-BMW-C<8 digits>-<check digit>`, e.g. `DE-BMW-C12345678-9`.
 *
 * The check digit is the Luhn (mod 10) digit over the 8 instance digits. It is NOT the
 * DIN SPEC 91286 / ISO 15118 eMAID check character (which runs over the letters as well): ours
 * guards the part humans type (the instance number) against single-digit errors and most
 * adjacent swaps, and stays a digit, as the pinned example shows.
 */
export const luhnDigit = (digits: string): number => {
  let sum = 0
  // From the right, every other digit (starting with the rightmost) is doubled.
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i])
    if (i % 2 === 0) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
  }
  return (10 - (sum % 10)) % 10
}

const EMA = /^([A-Z]{2})-([A-Z0-9]{3})-C(\d{8})-(\d)$/

export const formatContractId = (homeMarket: string, partyId: string, instance: string): string =>
  `${homeMarket}-${partyId}-C${instance}-${luhnDigit(instance)}`

/** True when the id has our format and its check digit is right. */
export const isValidContractId = (id: string): boolean => {
  const m = EMA.exec(id)
  return !!m && luhnDigit(m[3]!) === Number(m[4])
}

/** The compact form (no dashes, 15 characters): fits OCPP 1.6's 20-character idTag, used as group_id. */
export const compactContractId = (id: string): string => id.replaceAll('-', '')

/** Random instance digits; injected so tests can force collisions. */
export type InstanceDigits = () => string
export const randomInstanceDigits: InstanceDigits = () => String(randomInt(0, 100_000_000)).padStart(8, '0')
