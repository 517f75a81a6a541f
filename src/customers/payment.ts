// Payment details the customer gives: checked before they are stored.

/** ISO 13616: country, two check digits, the account (11–30 letters and digits); valid when the number mod 97 is 1. */
export const isValidIban = (iban: string): boolean => {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false
  const digits = `${iban.slice(4)}${iban.slice(0, 4)}`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55))
  let rest = 0
  for (const d of digits) rest = (rest * 10 + Number(d)) % 97
  return rest === 1
}

/** An IBAN as typed (spaces, lower case) in its electronic form. */
export const normalizeIban = (typed: string) => typed.replace(/\s+/g, '').toUpperCase()
