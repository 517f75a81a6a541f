// OCPI 2.2.1 Versions module wire types (OCPI notes §2.2).
import { z } from 'zod'
import { InterfaceRoleSchema, ModuleIdSchema, UrlSchema, VersionNumberSchema, ciString, nonEmptyList } from '../v221/common.schema.js'

/**
 * One entry of a peer's version list. `version` is any dotted number, not only the ones we
 * know: a peer that already offers e.g. `3.0` must not make its whole list unreadable.
 * Callers pick the versions they support with `VersionNumberSchema.safeParse`.
 */
export const VersionSchema = z.object({
  version: z.string().regex(/^[0-9]+(\.[0-9]+)*$/, { error: 'must be a dotted version number' }),
  url: UrlSchema,
})
export type Version = z.infer<typeof VersionSchema>

/** `data` of the version information endpoint (cardinality `+`). */
export const VersionListSchema = nonEmptyList(VersionSchema)
export type VersionList = z.infer<typeof VersionListSchema>

// Custom modules are allowed by bilateral agreement, named with a country+party prefix
// (`nltnm-tokens`). They are accepted so the rest of the list stays usable; callers act
// only on the ModuleIDs they know (`ModuleIdSchema.safeParse`).
const CustomModuleIdSchema = ciString(255).regex(/^[A-Za-z]{2}[A-Za-z0-9]{3}-[A-Za-z0-9_-]+$/, {
  error: 'not an OCPI ModuleID nor a custom <cc><pid>-<name> id',
})

export const EndpointSchema = z.object({
  identifier: z.union([ModuleIdSchema, CustomModuleIdSchema]),
  role: InterfaceRoleSchema,
  url: UrlSchema,
})
export type Endpoint = z.infer<typeof EndpointSchema>

/** `data` of the version details endpoint. */
export const VersionDetailsSchema = z.object({
  version: VersionNumberSchema,
  endpoints: nonEmptyList(EndpointSchema),
})
export type VersionDetails = z.infer<typeof VersionDetailsSchema>
