import { OcpiStatus } from './status.js'

/**
 * An error that ends an OCPI request with a given HTTP status and OCPI status code.
 * The /ocpi error handler turns it into the response envelope; the message is shown to the
 * partner, so it must say what was wrong without leaking internals.
 */
export class OcpiError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly ocpiStatus: number,
    message: string,
  ) {
    super(message)
    this.name = 'OcpiError'
  }
}

/**
 * 2001: a parameter or body field is missing or invalid; the message names the field.
 * HTTP 200 by default: the 2.2.1 errata keep HTTP error codes for requests that never reach the
 * OCPI layer (unparseable JSON, authentication).
 */
export class InvalidParametersError extends OcpiError {
  constructor(message: string, httpStatus = 200) {
    super(httpStatus, OcpiStatus.INVALID_PARAMETERS, message)
  }
}

/** The kinds of objects a partner can address on our OCPI endpoints. */
export type OcpiObjectKind = 'location' | 'evse' | 'connector' | 'token' | 'session' | 'cdr' | 'tariff' | 'client_info' | 'command'

/**
 * The one rule for unknown objects (README "Unknown objects"), applied by every module: HTTP 404,
 * and the OCPI status the spec names where it names one: 2003 for a Location and anything under it
 * (EVSE, Connector), 2004 for a Token (real-time authorization); 2001 for every other object
 * (Session, CDR, Tariff, ClientInfo, a command's response_url), as for a PATCH of an object we do
 * not have, so the sender GETs or PUTs it whole.
 */
export const unknownObjectStatus = (kind: OcpiObjectKind): number => {
  switch (kind) {
    case 'location':
    case 'evse':
    case 'connector':
      return OcpiStatus.UNKNOWN_LOCATION
    case 'token':
      return OcpiStatus.UNKNOWN_TOKEN
    default:
      return OcpiStatus.INVALID_PARAMETERS
  }
}

/** HTTP 404 with the status of `unknownObjectStatus`: the addressed object does not exist. */
export class UnknownObjectError extends OcpiError {
  constructor(
    readonly kind: OcpiObjectKind,
    message: string,
  ) {
    super(404, unknownObjectStatus(kind), message)
  }
}

/** 2003: unknown Location (or an EVSE or Connector of one). */
export class UnknownLocationError extends UnknownObjectError {
  constructor(message = 'Unknown location', kind: 'location' | 'evse' | 'connector' = 'location') {
    super(kind, message)
  }
}

/** 2004: unknown Token (real-time authorization answers HTTP 404). */
export class UnknownTokenError extends UnknownObjectError {
  constructor(message = 'Unknown token') {
    super('token', message)
  }
}

/** 2002: not enough information to answer. */
export class NotEnoughInformationError extends OcpiError {
  constructor(message: string) {
    super(200, OcpiStatus.NOT_ENOUGH_INFORMATION, message)
  }
}

/** HTTP 401: missing or unknown credentials token, or token A outside versions/credentials. */
export class UnauthorizedError extends OcpiError {
  constructor(message = 'Missing or invalid credentials token') {
    super(401, OcpiStatus.CLIENT_ERROR, message)
  }
}

/**
 * The caller may not act on the addressed party's objects: HTTP 404 (the spec lets a server answer
 * 404 for parties outside the caller's CredentialsRoles) with 2001 and a message naming the party.
 */
export class ForbiddenPartyError extends OcpiError {
  constructor(message: string) {
    super(404, OcpiStatus.INVALID_PARAMETERS, message)
  }
}

/** HTTP 405: credentials POST by a registered party, or PUT/DELETE by an unregistered one. */
export class MethodNotAllowedError extends OcpiError {
  constructor(message: string) {
    super(405, OcpiStatus.CLIENT_ERROR, message)
  }
}

/** 3001: we could not use the partner's API (its versions or endpoints). */
export class UnableToUseClientApiError extends OcpiError {
  constructor(message: string) {
    super(200, OcpiStatus.UNABLE_TO_USE_CLIENT_API, message)
  }
}

/** 3002: no version in common. */
export class UnsupportedVersionError extends OcpiError {
  constructor(message: string) {
    super(200, OcpiStatus.UNSUPPORTED_VERSION, message)
  }
}

/** 3003: endpoints we need are missing. */
export class NoMatchingEndpointsError extends OcpiError {
  constructor(message: string) {
    super(200, OcpiStatus.NO_MATCHING_ENDPOINTS, message)
  }
}
