// Credit CDRs (OCPI `credit: true`, negative totals) produce a reversing result: every line of the
// rating being reversed is negated (quantity and amount), so the credit and its original sum to 0.
import type { RatedCdr, RatingCdr, RatingFailure, RatingLine } from './rating.types.js'

/** The credit's own figures as a normal CDR: the totals turned positive, everything else unchanged. */
export const withoutCreditSign = (cdr: RatingCdr): RatingCdr => ({
  ...cdr,
  credit: false,
  totalCost: { exclVat: cdr.totalCost.exclVat.abs(), inclVat: cdr.totalCost.inclVat?.abs() },
  ...(cdr.totalFixedCost
    ? { totalFixedCost: { exclVat: cdr.totalFixedCost.exclVat.abs(), inclVat: cdr.totalFixedCost.inclVat?.abs() } }
    : {}),
  totalEnergyKwh: cdr.totalEnergyKwh.abs(),
})

const negateLine = (line: RatingLine, prefix: string): RatingLine => ({
  ...line,
  quantity: line.quantity.negated(),
  amount: line.amount.isZero() ? line.amount : line.amount.negated(),
  text: `${prefix}${line.text}`,
})

/** Negates a rating for the credit CDR `creditId`; `basis` says what was reversed, for the texts. */
export const negateRating = (creditId: string, rated: RatedCdr, basis: string): RatedCdr => {
  const prefix = `Credit (CDR ${creditId}, reversing ${basis}): `
  const lines = rated.lines.map((line) => negateLine(line, prefix))
  return {
    ...rated,
    cdrId: creditId,
    rule: rated.rule.startsWith('credit:') ? rated.rule : `credit:${rated.rule as Exclude<RatedCdr['rule'], `credit:${string}`>}`,
    lines,
    total: rated.total.isZero() ? rated.total : rated.total.negated(),
  }
}

/** Reverses the rating of the original CDR, after checking that it is the one the credit refers to. */
export const reverseOriginal = (credit: RatingCdr, original: RatedCdr): RatedCdr | RatingFailure => {
  const reference = credit.creditReferenceId
  if (original.rule.startsWith('credit:') || (reference !== undefined && reference.toUpperCase() !== original.cdrId.toUpperCase())) {
    return {
      ok: false,
      code: 'credit_original_mismatch',
      message: `Credit CDR ${credit.id} refers to ${reference ?? '(no reference)'}, but the rating supplied is for ${original.cdrId} (${original.rule})`,
    }
  }
  return negateRating(credit.id, original, `the rating of CDR ${original.cdrId}`)
}
