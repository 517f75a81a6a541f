/**
 * A business error with a stable snake_case code, for the admin and app surfaces.
 * `httpStatus` is what those surfaces answer; OCPI answers use `OcpiError` instead.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly httpStatus = 400,
    readonly details?: Record<string, unknown>,
  ) {
    super(message)
    this.name = 'DomainError'
  }
}

export const notFound = (code: string, message: string) => new DomainError(code, message, 404)
export const conflict = (code: string, message: string) => new DomainError(code, message, 409)
/** The partner on the other side of the wire failed us. */
export const badGateway = (code: string, message: string) => new DomainError(code, message, 502)
