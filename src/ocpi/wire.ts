// The OCPI wire language as the rest of the product uses it, without reaching into the transport
// (src/ocpi/v221): the spec's data types the admin API's bodies and paths are made of, and the
// tolerant reader rating's case files (`npm run rate`) read a CDR with, as the CDRs Receiver reads it.
export { ciString, CountryCodeSchema, DateTimeSchema, PartyIdSchema, RoleSchema } from './v221/common.schema.js'
export { pathText, readTolerant, type Issue } from './v221/intake.js'
export { describeZodIssues } from './v221/validation.js'
