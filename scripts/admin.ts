// `npm run admin -- <command> [args]`: the admin API from the command line.
// Talks to a running service at --url (default PUBLIC_URL, else http://localhost:PORT) with ADMIN_TOKEN.
import { request } from 'undici'
import { ConfigError, loadConfig } from '../src/config.js'
import { baseUrl, parseCommandLine, unreachableMessage, USAGE_EXIT, UsageError } from './lib/cli.js'

type Flags = Record<string, string | boolean | undefined>

interface Command {
  usage: string
  help: string
  /** The options this command takes besides --url and --help; any other is refused. */
  flags?: readonly string[]
  run(args: string[], flags: Flags): { method: string; path: string; body?: unknown; print?: (body: any) => string }
}

const need = (args: string[], n: number, usage: string) => {
  if (args.length < n) throw new UsageError(`usage: npm run admin -- ${usage}`)
  return args
}

/** A non-negative integer option, or a UsageError naming it. */
const integerFlag = (flags: Flags, name: string): number | undefined => {
  const value = flags[name]
  if (value === undefined) return undefined
  if (typeof value !== 'string' || !/^\d+$/.test(value)) throw new UsageError(`--${name} must be a whole number, not '${String(value)}'`)
  return Number(value)
}

/** `CPO:DE:ION,HUB:DE:HUB` → the roles of `POST /partners`. */
const parseRoles = (value: string) =>
  value.split(',').map((item) => {
    const [role, country_code, party_id, extra] = item.trim().split(':')
    if (!role || !country_code || !party_id || extra !== undefined)
      throw new UsageError(`--roles: '${item}' is not ROLE:CC:PID (e.g. CPO:DE:ION)`)
    return { role: role.toUpperCase(), country_code, party_id }
  })

const commands: Record<string, Command> = {
  'partners:create': {
    usage: 'partners:create <name> [--roles=CPO:DE:ION,HUB:DE:HUB]',
    help: 'create a partner with the roles it may claim; prints its token A and our versions URL to hand over',
    flags: ['roles'],
    run: (a, f) => ({
      method: 'POST',
      path: '/partners',
      body: {
        name: need(a, 1, commands['partners:create']!.usage).join(' '),
        ...(typeof f.roles === 'string' ? { roles: parseRoles(f.roles) } : {}),
      },
    }),
  },
  'roles:requests': {
    usage: 'roles:requests [--state=PENDING|APPROVED|REFUSED|WITHDRAWN|ALL] [--partner=<id>]',
    help: 'roles partners claimed and were not granted (default: those waiting for a decision)',
    flags: ['state', 'partner'],
    run: (_a, f) => {
      const q = new URLSearchParams({
        ...(typeof f.state === 'string' ? { state: f.state.toUpperCase() } : {}),
        ...(typeof f.partner === 'string' ? { partner_id: f.partner } : {}),
      })
      return { method: 'GET', path: `/role-requests${q.size ? `?${q}` : ''}` }
    },
  },
  'roles:approve': {
    usage: 'roles:approve <request-id> [note]',
    help: 'approve a role request: the partner may claim it, and holds it at once if registered',
    run: (a) => {
      const [id, ...note] = need(a, 1, commands['roles:approve']!.usage)
      return { method: 'POST', path: `/role-requests/${id}/approve`, body: note.length ? { note: note.join(' ') } : {} }
    },
  },
  'roles:refuse': {
    usage: 'roles:refuse <request-id> [note]',
    help: 'refuse a role request: nothing is granted',
    run: (a) => {
      const [id, ...note] = need(a, 1, commands['roles:refuse']!.usage)
      return { method: 'POST', path: `/role-requests/${id}/refuse`, body: note.length ? { note: note.join(' ') } : {} }
    },
  },
  'partners:list': {
    usage: 'partners:list',
    help: 'all partners with state, roles and endpoints',
    run: () => ({ method: 'GET', path: '/partners' }),
  },
  'partners:show': {
    usage: 'partners:show <id>',
    help: 'one partner',
    run: (a) => ({ method: 'GET', path: `/partners/${need(a, 1, commands['partners:show']!.usage)[0]}` }),
  },
  'partners:register': {
    usage: 'partners:register <id> <versions_url> <token_a>',
    help: 'register with a partner (we initiate) using the token A it gave us',
    run: (a) => {
      const [id, url, token] = need(a, 3, commands['partners:register']!.usage)
      return { method: 'POST', path: `/partners/${id}/register`, body: { versions_url: url, token } }
    },
  },
  'partners:rotate': {
    usage: 'partners:rotate <id>',
    help: 'rotate credentials with a registered partner',
    run: (a) => ({ method: 'POST', path: `/partners/${need(a, 1, commands['partners:rotate']!.usage)[0]}/rotate` }),
  },
  'partners:token-a': {
    usage: 'partners:token-a <id>',
    help: 'issue a new token A for an unregistered partner',
    run: (a) => ({ method: 'POST', path: `/partners/${need(a, 1, commands['partners:token-a']!.usage)[0]}/token_a` }),
  },
  'partners:unregister': {
    usage: 'partners:unregister <id> [--force]',
    help: 'unregister from a partner (DELETE on its credentials)',
    flags: ['force'],
    run: (a, f) => ({
      method: 'DELETE',
      path: `/partners/${need(a, 1, commands['partners:unregister']!.usage)[0]}/registration${f.force ? '?force=true' : ''}`,
    }),
  },
  'app-token': {
    usage: 'app-token <customer-id> [--ttl=3600]',
    help: 'mint an app JWT for a customer (dev/tests); the token alone is the last line',
    flags: ['ttl'],
    run: (a, f) => ({
      method: 'POST',
      path: '/app-tokens',
      body: {
        customer_id: need(a, 1, commands['app-token']!.usage)[0],
        ...(f.ttl === undefined ? {} : { ttl_seconds: integerFlag(f, 'ttl') }),
      },
      print: (body: { token: string; expires_at: string }) => `expires ${body.expires_at}\n${body.token}`,
    }),
  },
  'cdrs:rating': {
    usage: 'cdrs:rating <cdr-id>',
    help: 'rating status (RATED / UNRATED with reason), charge history and audit of a CDR (our id)',
    run: (a) => ({ method: 'GET', path: `/cdrs/${need(a, 1, commands['cdrs:rating']!.usage)[0]}/rating` }),
  },
  'cdrs:rerate': {
    usage: 'cdrs:rerate <cdr-id>',
    help: 'rate a CDR again; the previous charge stays as history',
    run: (a) => ({ method: 'POST', path: `/cdrs/${need(a, 1, commands['cdrs:rerate']!.usage)[0]}/rerate` }),
  },
  disputes: {
    usage: 'disputes [--offset=0] [--limit=50]',
    help: 'CDRs whose totals disagree with the operator tariff beyond AUDIT_TOLERANCE, newest first',
    flags: ['offset', 'limit'],
    run: (_a, f) => ({ method: 'GET', path: `/disputes?offset=${integerFlag(f, 'offset') ?? 0}&limit=${integerFlag(f, 'limit') ?? 50}` }),
  },
  'commands:show': {
    usage: 'commands:show <command-id>',
    help: 'a command sent to a CPO: state, reason, response, result, timestamps',
    run: (a) => ({ method: 'GET', path: `/commands/${need(a, 1, commands['commands:show']!.usage)[0]}` }),
  },
  'commands:unlock': {
    usage: 'commands:unlock <location-id> <evse-uid> <connector-id>',
    help: 'help desk: UNLOCK_CONNECTOR at a CPO (a cable stuck after a session; never for drivers)',
    run: (a) => {
      const [location_id, evse_uid, connector_id] = need(a, 3, commands['commands:unlock']!.usage)
      return { method: 'POST', path: '/commands', body: { type: 'UNLOCK_CONNECTOR', location_id, evse_uid, connector_id } }
    },
  },
  'commands:reserve': {
    usage: 'commands:reserve <location-id> <contract-id> <reservation-id> <expiry-date> [--evse=<uid>]',
    help: 'help desk: RESERVE_NOW for a contract (its app token) until the expiry date (UTC)',
    flags: ['evse'],
    run: (a, f) => {
      const [location_id, contract_id, reservation_id, expiry_date] = need(a, 4, commands['commands:reserve']!.usage)
      return {
        method: 'POST',
        path: '/commands',
        body: {
          type: 'RESERVE_NOW',
          location_id,
          contract_id,
          reservation_id,
          expiry_date,
          ...(typeof f.evse === 'string' ? { evse_uid: f.evse } : {}),
        },
      }
    },
  },
  'commands:cancel-reservation': {
    usage: 'commands:cancel-reservation <reservation-id>',
    help: 'help desk: CANCEL_RESERVATION where the RESERVE_NOW with this id went',
    run: (a) => ({
      method: 'POST',
      path: '/commands',
      body: { type: 'CANCEL_RESERVATION', reservation_id: need(a, 1, commands['commands:cancel-reservation']!.usage)[0] },
    }),
  },
  'invoices:run': {
    usage: 'invoices:run <YYYY-MM> [contract-id]',
    help: 'invoice a month: every contract (queued, idempotent) or one contract now',
    run: (a) => {
      const [month, contractId] = need(a, 1, commands['invoices:run']!.usage)
      return { method: 'POST', path: '/invoice-runs', body: { month, ...(contractId ? { contract_id: contractId } : {}) } }
    },
  },
  'invoices:list': {
    usage: 'invoices:list [--contract=<id>] [--month=YYYY-MM]',
    help: 'invoices with total, amount due, paid and status, newest first',
    flags: ['contract', 'month'],
    run: (_a, f) => {
      const q = new URLSearchParams({
        ...(typeof f.contract === 'string' ? { contract_id: f.contract } : {}),
        ...(typeof f.month === 'string' ? { month: f.month } : {}),
      })
      return { method: 'GET', path: `/invoices${q.size ? `?${q}` : ''}` }
    },
  },
  'invoices:pay': {
    usage: 'invoices:pay <invoice-id> <amount> <paid-on YYYY-MM-DD> <reference>',
    help: 'record a payment (idempotent per reference); an overpayment becomes a credit',
    run: (a) => {
      const [id, amount, paidOn, reference] = need(a, 4, commands['invoices:pay']!.usage)
      return { method: 'POST', path: `/invoices/${id}/payments`, body: { amount, paid_on: paidOn, reference } }
    },
  },
  'rates:set': {
    usage: 'rates:set <base> <quote> <valid-from YYYY-MM-DD> <rate>',
    help: 'exchange rate: 1 base = rate × quote from that day (e.g. EUR CZK 2025-01-01 25.10)',
    run: (a) => {
      const [base, quote, validFrom, rate] = need(a, 4, commands['rates:set']!.usage)
      return { method: 'PUT', path: `/exchange-rates/${base}/${quote}/${validFrom}`, body: { rate } }
    },
  },
  vouchers: {
    usage: 'vouchers',
    help: 'voucher codes with their redemption counts',
    run: () => ({ method: 'GET', path: '/vouchers' }),
  },
  request: {
    usage: 'request <METHOD> <path below /admin/v1> [json body]',
    help: 'any admin endpoint (see /docs)',
    run: (a) => {
      const [method, path, body] = need(a, 2, commands.request!.usage)
      return { method: method!.toUpperCase(), path: path!, body: body === undefined ? undefined : JSON.parse(body) }
    },
  },
}

/** Every option any command takes (each command accepts only its own, see `flags`). */
const OPTIONS = {
  url: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  force: { type: 'boolean' },
  ttl: { type: 'string' },
  offset: { type: 'string' },
  limit: { type: 'string' },
  evse: { type: 'string' },
  contract: { type: 'string' },
  month: { type: 'string' },
  roles: { type: 'string' },
  state: { type: 'string' },
  partner: { type: 'string' },
} as const
const GLOBAL_FLAGS = ['url', 'help']

const usage = () =>
  [
    'usage: npm run admin -- <command> [args] [--url http://host:port]',
    '',
    ...Object.values(commands).map((c) => `  ${c.usage.padEnd(52)} ${c.help}`),
    '',
    'ADMIN_TOKEN must be set (the same value the service runs with).',
  ].join('\n')

/** The command's flags, refusing one it does not take (it would otherwise be silently ignored). */
const checkFlags = (name: string, command: Command, flags: Flags) => {
  for (const flag of Object.keys(flags)) {
    if (flags[flag] !== undefined && !GLOBAL_FLAGS.includes(flag) && !command.flags?.includes(flag)) {
      throw new UsageError(`${name} takes no option --${flag}\nusage: npm run admin -- ${command.usage}`)
    }
  }
}

const main = async () => {
  const { values: flags, positionals: args } = parseCommandLine(process.argv.slice(2), OPTIONS)
  const name = args.shift()
  if (!name || name === 'help') {
    console.log(usage())
    return 0
  }
  const command = commands[name]
  if (!command) throw new UsageError(`unknown command '${name}'\n\n${usage()}`)
  if (flags.help) {
    console.log(`usage: npm run admin -- ${command.usage}\n  ${command.help}`)
    return 0
  }
  checkFlags(name, command, flags)
  const base = flags.url === undefined ? undefined : baseUrl(flags.url)
  const call = command.run(args, flags)
  const config = loadConfig()
  if (!config.adminToken) {
    console.error('admin: ADMIN_TOKEN is not set (the same value the service runs with)')
    return USAGE_EXIT
  }
  const url = base ?? config.publicUrl ?? `http://localhost:${config.port}`
  let res
  try {
    res = await request(`${url}/admin/v1${call.path}`, {
      method: call.method as 'GET',
      headers: { authorization: `Bearer ${config.adminToken}`, ...(call.body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
    })
  } catch (err) {
    const unreachable = unreachableMessage(err, url)
    if (!unreachable) throw err
    console.error(`admin: ${unreachable}`)
    return 1
  }
  const text = await res.body.text()
  let out = text
  try {
    const parsed = JSON.parse(text)
    out = res.statusCode < 400 && call.print ? call.print(parsed) : JSON.stringify(parsed, null, 2)
  } catch {
    // not JSON: print as is
  }
  ;(res.statusCode < 400 ? console.log : console.error)(out)
  return res.statusCode < 400 ? 0 : 1
}

main().then(
  (code) => process.exit(code),
  (err) => {
    if (err instanceof UsageError || err instanceof ConfigError) {
      console.error(`admin: ${err.message}`)
      process.exit(USAGE_EXIT)
    }
    if (err instanceof SyntaxError) {
      console.error(`admin: the JSON body is not valid JSON: ${err.message}`)
      process.exit(USAGE_EXIT)
    }
    console.error(`admin: ${(err as Error).message}`)
    process.exit(1)
  },
)

export { commands }
