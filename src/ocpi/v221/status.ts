/** OCPI 2.2.1 status codes (transport_and_format, "Status codes"). */
export const OcpiStatus = {
  /** Generic success. */
  SUCCESS: 1000,
  /** Generic client error. */
  CLIENT_ERROR: 2000,
  /** Invalid or missing parameters: a bad body, a URL/body mismatch, a missing last_updated. */
  INVALID_PARAMETERS: 2001,
  /** Not enough information, e.g. real-time authorization without the LocationReferences we need. */
  NOT_ENOUGH_INFORMATION: 2002,
  /** Unknown Location, e.g. a command for a location we do not know. */
  UNKNOWN_LOCATION: 2003,
  /** Unknown Token (real-time authorization). */
  UNKNOWN_TOKEN: 2004,
  /** Generic server error. */
  SERVER_ERROR: 3000,
  /** Unable to use the client's API, e.g. its versions or endpoints could not be fetched. */
  UNABLE_TO_USE_CLIENT_API: 3001,
  /** Unsupported version. */
  UNSUPPORTED_VERSION: 3002,
  /** No matching endpoints, or expected endpoints missing, between the parties. */
  NO_MATCHING_ENDPOINTS: 3003,
} as const

export type OcpiStatusCode = (typeof OcpiStatus)[keyof typeof OcpiStatus]

export const isOcpiSuccess = (code: number): boolean => code >= 1000 && code < 2000
