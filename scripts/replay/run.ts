import { partiesOf, type Recording } from './recording.js'
import { discoverEndpoints, registerAsCpo, ReplayError } from './register.js'
import { sendRecording, type SendOptions, type SendResult } from './sender.js'
import { acknowledgedCdrIds, readRatings, type RatingSummary } from './summary.js'

/** One replay end to end: register (or use a token), discover endpoints, send, read ratings back. */
export interface ReplayOptions {
  /** The eMSP's base URL (http://host:port). */
  url: string
  /** An existing partner token (the one the eMSP issued to the CPO); else register with the admin token. */
  token?: string
  adminToken?: string
  partnerName?: string
  pace?: number
  waitMs?: number
  skip?: SendOptions['skip']
  bindings?: SendOptions['bindings']
  onAck?: SendOptions['onAck']
  onProgress?: SendOptions['onProgress']
}

export interface ReplayReport {
  partnerToken: string
  sent: SendResult
  byModule: Record<string, { acknowledged: number; refused: number }>
  /** Undefined without the admin API (no admin token): rating cannot be read back. */
  rating?: RatingSummary
}

const countByModule = (sent: SendResult) => {
  const out: ReplayReport['byModule'] = {}
  const slot = (m: string) => (out[m] ??= { acknowledged: 0, refused: 0 })
  for (const a of sent.acks) slot(a.module).acknowledged++
  for (const r of sent.refusals) slot(r.module).refused++
  return out
}

export const replay = async (recording: Recording, opts: ReplayOptions): Promise<ReplayReport> => {
  const url = opts.url.replace(/\/+$/, '')
  const admin = opts.adminToken ? { url, token: opts.adminToken } : undefined
  let token = opts.token
  if (!token) {
    if (!opts.adminToken) throw new ReplayError('give a partner token (--token) or set ADMIN_TOKEN to register as a CPO')
    token = (
      await registerAsCpo({ url, adminToken: opts.adminToken, name: opts.partnerName ?? 'Replay CPO', parties: partiesOf(recording.lines) })
    ).token
  }
  const endpoints = await discoverEndpoints(`${url}/ocpi/versions`, token)
  const sent = await sendRecording(recording.lines, {
    endpoints,
    token,
    ...(admin ? { admin } : {}),
    pace: opts.pace ?? 0,
    ...(opts.skip ? { skip: opts.skip } : {}),
    ...(opts.bindings ? { bindings: opts.bindings } : {}),
    ...(opts.onAck ? { onAck: opts.onAck } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  })
  const report: ReplayReport = { partnerToken: token, sent, byModule: countByModule(sent) }
  if (admin) report.rating = await readRatings(admin, acknowledgedCdrIds(sent), { waitMs: opts.waitMs ?? 30_000 })
  return report
}
