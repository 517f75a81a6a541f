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

export const createVersionsRegistry = (publicUrl: string) => {
  const endpoints: OwnEndpoint[] = []
  return {
    add(endpoint: OwnEndpoint) {
      if (endpoints.some((e) => e.identifier === endpoint.identifier && e.role === endpoint.role)) {
        throw new Error(`OCPI endpoint ${endpoint.identifier}/${endpoint.role} registered twice`)
      }
      endpoints.push(endpoint)
    },
    versionsUrl: () => `${publicUrl}${OCPI_BASE_PATH}/versions`,
    detailsUrl: () => `${publicUrl}${VERSION_PATH}`,
    moduleUrl: (path: string) => `${publicUrl}${VERSION_PATH}/${path}`,
    versions: () => [{ version: OCPI_VERSION, url: `${publicUrl}${VERSION_PATH}` }],
    details: () => ({
      version: OCPI_VERSION,
      endpoints: endpoints.map((e) => ({ identifier: e.identifier, role: e.role, url: `${publicUrl}${VERSION_PATH}/${e.path}` })),
    }),
  }
}

export type VersionsRegistry = ReturnType<typeof createVersionsRegistry>
