// GET /metrics: Prometheus text with the HTTP latency histogram and the operational gauges read
// from the database at scrape time (cached 5 s), behind METRICS_TOKEN.
import t from 'tap'
import { request } from 'undici'
import { startTestApp } from '../helpers/build-app.js'
import { FAILING_QUEUE, LATER_QUEUE, METRICS_TOKEN, parseMetrics, startOpsWorld } from './world.js'

t.test('metrics of a running eMSP', async (t) => {
  const world = await startOpsWorld(t)
  const { emsp, clock, partners } = world
  const scrape = async (token: string | undefined = METRICS_TOKEN) => {
    const res = await request(`${emsp.url}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} })
    return { status: res.statusCode, type: res.headers['content-type'], text: await res.body.text() }
  }

  t.test('protected by METRICS_TOKEN', async (t) => {
    const none = await scrape('')
    t.equal(none.status, 401)
    t.match(JSON.parse(none.text), { code: 'unauthorized' })
    t.equal((await scrape('metrics-token-wrong-wrong')).status, 401)
    const closed = await startTestApp(t, { database: emsp.database })
    const res = await request(`${closed.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
    t.equal(res.statusCode, 403, 'without METRICS_TOKEN configured /metrics is closed')
    t.match(JSON.parse(await res.body.text()), { code: 'metrics_disabled' })
  })

  t.test('the operational gauges, from the database', async (t) => {
    const res = await scrape()
    t.equal(res.status, 200)
    t.match(res.type, /^text\/plain; version=0\.0\.4/)
    const m = parseMetrics(res.text)
    t.equal(m.value('emsp_database_up'), 1)

    const replay = { partner_id: partners.replay, partner: 'Replay CPO' }
    t.equal(m.value('emsp_cdrs_last_hour', { ...replay, rating: 'RATED' }), 4, 'the replayed CDRs: 4 rated')
    t.equal(m.value('emsp_cdrs_last_hour', { ...replay, rating: 'UNRATED' }), 1)
    t.equal(m.value('emsp_cdrs_last_hour', { ...replay, rating: 'PENDING' }), 0)
    t.equal(
      m.value('emsp_cdrs_last_hour', { partner_id: partners.becharged, rating: 'RATED' }),
      0,
      'a registered partner without CDRs is 0, not absent',
    )
    t.equal(m.value('emsp_cdrs_unrated', { reason: 'unknown_contract' }), 1)
    t.equal(m.value('emsp_disputes'), 1, 'CDR-2 disagrees with the tariff')
    t.equal(m.value('emsp_disputes_last_24h', replay), 1, 'flagged today, by the replay CPO')
    t.equal(m.value('emsp_disputes_last_24h', { partner_id: partners.becharged }), 0)

    let tokens = 0
    for (const id of world.customerIds)
      for (const c of (await emsp.admin('GET', `/customers/${id}`)).body.contracts as { tokens: unknown[] }[]) tokens += c.tokens.length
    const becharged = { partner_id: partners.becharged, partner: 'Becharged' }
    t.ok(tokens > 0, `${tokens} customer tokens`)
    t.equal(m.value('emsp_token_push_backlog', becharged), tokens, 'every token waits for Becharged, whose Tokens Receiver is down')
    t.equal(m.value('emsp_token_push_retrying', becharged), 1, 'the one push tried got 503 and will be retried')
    t.equal(m.value('emsp_token_push_failed', becharged), 0)
    t.equal(
      m.value('emsp_token_push_oldest_age_seconds', becharged),
      4,
      'queued at the start, 4 s before the scrape (the command result moved the clock)',
    )
    t.equal(m.value('emsp_jobs', { queue: 'tokens.push', state: 'due' }), tokens, 'the retry after 1 s is due again')
    t.equal(m.value('emsp_jobs', { queue: 'tokens.push', state: 'running' }), 0)
    t.equal(m.value('emsp_jobs_retrying', { queue: 'tokens.push' }), 1)
    t.equal(m.value('emsp_jobs_oldest_due_age_seconds', { queue: 'tokens.push' }), 3, 'due 1 s after the start, scraped at +4 s')
    t.equal(m.value('emsp_jobs', { queue: LATER_QUEUE, state: 'scheduled' }), 1, 'a job due in an hour is scheduled, not due')
    t.equal(m.value('emsp_jobs', { queue: LATER_QUEUE, state: 'due' }), 0)
    t.equal(m.value('emsp_jobs_oldest_due_age_seconds', { queue: LATER_QUEUE }), 0)
    t.equal(m.value('emsp_jobs', { queue: FAILING_QUEUE, state: 'failed' }), 1, 'the job that gave up')
    t.equal(
      m.value('emsp_jobs', { queue: 'cdr.received', state: 'due' }),
      undefined,
      'queues with only finished jobs are not reported until seen',
    )

    t.equal(m.value('emsp_commands_last_hour', { type: 'UNLOCK_CONNECTOR', state: 'SUCCEEDED' }), 1)
    t.equal(m.value('emsp_command_response_seconds', { type: 'UNLOCK_CONNECTOR', quantile: '0.5' }), 0, 'answered at once (fixed clock)')
    t.equal(m.value('emsp_command_result_seconds', { type: 'UNLOCK_CONNECTOR', quantile: '0.95' }), 4, 'the result came 4 s later')

    const pull = (module: string) => ({ ...becharged, module })
    t.equal(m.value('emsp_pull_last_success_timestamp_seconds', pull('tariffs')), Date.parse('2026-11-20T10:00:00Z') / 1000)
    t.equal(m.value('emsp_pull_last_success_timestamp_seconds', pull('locations')), 0, 'never pulled successfully')
    t.equal(m.value('emsp_pull_last_failed', pull('locations')), 1)
    t.equal(m.value('emsp_pull_last_failed', pull('tariffs')), 0)
    t.equal(m.value('emsp_pull_runs_last_24h', { ...pull('locations'), status: 'failed' }), 1)
    t.equal(m.value('emsp_pull_runs_last_24h', { ...pull('tariffs'), status: 'completed' }), 1)
    t.equal(m.value('emsp_pull_last_success_timestamp_seconds', pull('sessions')), 0, 'sessions are served by Becharged but never pulled')
    t.equal(
      m.value('emsp_pull_last_success_timestamp_seconds', { partner_id: partners.replay, module: 'cdrs' }),
      undefined,
      'the replay CPO serves no Sender interface',
    )

    if (emsp.database.kind === 'postgres')
      t.ok((m.value('emsp_database_connections', { state: 'active' }) ?? 0) >= 1, 'the scrape itself is an active connection')
    t.ok(m.value('process_cpu_user_seconds_total') !== undefined, 'process metrics of this instance')
  })

  t.test('the HTTP latency histogram, per route pattern', async (t) => {
    for (const id of world.cdrIds.slice(0, 3)) await emsp.admin('GET', `/cdrs/${id}/rating`)
    await emsp.admin('GET', '/no/such/path')
    const m = parseMetrics((await scrape()).text)
    const route = { method: 'GET', route: '/admin/v1/cdrs/:id/rating', status_code: '200' }
    t.equal(m.value('emsp_http_request_duration_seconds_count', route), 3, 'one route pattern, whatever the id')
    t.equal(m.value('emsp_http_request_duration_seconds_bucket', { ...route, le: '+Inf' }), 3)
    t.equal(
      m.value('emsp_http_request_duration_seconds_count', { method: 'GET', route: 'unmatched', status_code: '404' }),
      1,
      'unknown paths share one series',
    )
    t.ok(
      m.value('emsp_http_request_duration_seconds_count', { method: 'POST', route: '/ocpi/2.2.1/cdrs', status_code: '201' })! >= 5,
      'the OCPI CDR POSTs of the replay',
    )
  })

  t.test('one database read per 5 s, however often it is scraped', async (t) => {
    const before = parseMetrics((await scrape()).text).value('emsp_jobs', { queue: FAILING_QUEUE, state: 'failed' })
    await emsp.app.jobs.enqueue(emsp.database.db, { queue: FAILING_QUEUE, payload: {}, maxAttempts: 1 })
    await emsp.app.jobs.runDue({ queues: [FAILING_QUEUE] })
    clock.advance(4_999)
    t.equal(
      parseMetrics((await scrape()).text).value('emsp_jobs', { queue: FAILING_QUEUE, state: 'failed' }),
      before,
      'within 5 s: the cached figures',
    )
    clock.advance(1)
    t.equal(
      parseMetrics((await scrape()).text).value('emsp_jobs', { queue: FAILING_QUEUE, state: 'failed' }),
      before! + 1,
      'after 5 s: read again',
    )
  })
})

t.test('a database that does not answer: 200 with emsp_database_up 0', async (t) => {
  const emsp = await startTestApp(t, { env: { METRICS_TOKEN } })
  await emsp.database.close()
  const res = await request(`${emsp.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
  t.equal(res.statusCode, 200)
  const m = parseMetrics(await res.body.text())
  t.equal(m.value('emsp_database_up'), 0)
  t.equal(m.value('emsp_jobs', { queue: 'tokens.push', state: 'due' }), undefined, 'no stale figures')
  t.ok(m.value('process_cpu_user_seconds_total') !== undefined, 'the instance metrics are still there')
})
