// Every table of the service, for drizzle-kit and the typed database handle.
export * from './partners.js'
export * from './jobs.js'
export * from './locations.js'
export * from './tariffs.js'
export * from './hubclientinfo.js'
export * from './sync.js'
export * from './customers.js'
export * from './tokens.js'
