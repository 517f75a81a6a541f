import type { JobRunner } from '../../jobs/runner.js'
import type { CredentialsService } from '../credentials/index.js'
import { createSyncSchedule } from './sync.schedule.js'
import { createSyncService, type SyncDeps } from './sync.service.js'

export { SYNC_MODULES, type PullAdapter, type SyncMode, type SyncModule, type SyncResult, type SyncService } from './sync.service.js'

/** Pulling from partners' Sender interfaces: on demand (admin) and on a schedule (job runner). */
export const createSyncModule = (
  deps: SyncDeps & {
    credentials: Pick<CredentialsService, 'getPartner' | 'listPartners'>
    jobs: Pick<JobRunner, 'register' | 'enqueue' | 'kick'>
    intervalMs: number
  },
) => {
  const service = createSyncService(deps)
  const schedule = createSyncSchedule({ ...deps, sync: service })
  return { service, schedule }
}
