/**
 * Our own version details for OCPI 2.2.1: each module plugin adds the endpoint it serves when it
 * boots, so the list always matches what is actually mounted (OCPI 2.2.1 "Version details").
 */
export const OCPI_VERSION = '2.2.1' as const
export const OCPI_BASE_PATH = '/ocpi'
export const VERSION_PATH = `${OCPI_BASE_PATH}/${OCPI_VERSION}`

export interface OwnEndpoint {
  identifier: string
  role: 'SENDER' | 'RECEIVER'
  /** Path below /ocpi/2.2.1, e.g. `locations`. */
  path: string
}

/** `baseUrl` is read on every call: the public URL can depend on the port we end up listening on. */
export const createVersionsRegistry = (baseUrl: () => string) => {
  const endpoints: OwnEndpoint[] = []
  return {
    add(endpoint: OwnEndpoint) {
      if (endpoints.some((e) => e.identifier === endpoint.identifier && e.role === endpoint.role)) {
        throw new Error(`OCPI endpoint ${endpoint.identifier}/${endpoint.role} registered twice`)
      }
      endpoints.push(endpoint)
    },
    versionsUrl: () => `${baseUrl()}${OCPI_BASE_PATH}/versions`,
    detailsUrl: () => `${baseUrl()}${VERSION_PATH}`,
    moduleUrl: (path: string) => `${baseUrl()}${VERSION_PATH}/${path}`,
    versions: () => [{ version: OCPI_VERSION, url: `${baseUrl()}${VERSION_PATH}` }],
    details: () => ({
      version: OCPI_VERSION,
      endpoints: endpoints.map((e) => ({ identifier: e.identifier, role: e.role, url: `${baseUrl()}${VERSION_PATH}/${e.path}` })),
    }),
  }
}

export type VersionsRegistry = ReturnType<typeof createVersionsRegistry>
