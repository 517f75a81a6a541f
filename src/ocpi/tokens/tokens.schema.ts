// The Tokens wire types live with the transport's wire schemas (src/ocpi/v221/tokens.schema.ts), which every
// OCPI module may import; this module's files read them from here.
export * from '../v221/tokens.schema.js'
