import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import postgres from 'postgres'

/**
 * The real server as a child process (`src/server.ts`), for crash, two-instance and soak runs.
 * It listens on PORT=0; the URL is read from its "eMSP listening on …" log line.
 */
export const ADMIN_TOKEN = 'reliability-admin-token-0123456789'

export interface ServerProcess {
  url: string
  pid: number
  child: ChildProcess
  /** The last log lines (stdout and stderr), for failure messages. */
  tail(): string
  /** Resident memory of the server process in MiB (Linux /proc). */
  rssMiB(): number | undefined
  kill(signal?: NodeJS.Signals): Promise<void>
}

const LISTENING = /eMSP listening on (http:\/\/\S+)/

/**
 * `src/server.ts` as a process of its own, as `npm start` runs it (node with the tsx loader); tests pass the
 * tests' cached loader as `nodeArgs` (test/helpers/script.ts, TS_NODE_ARGS), the same transform at half the CPU.
 */
export const startServerProcess = async (
  env: Record<string, string>,
  { timeoutMs = 60_000, nodeArgs = ['--import', 'tsx'] }: { timeoutMs?: number; nodeArgs?: string[] } = {},
): Promise<ServerProcess> => {
  const { DATABASE_URL: _notInherited, ...inherited } = process.env
  const child = spawn(process.execPath, [...nodeArgs, 'src/server.ts'], {
    // ENV_FILE=/dev/null: a developer's .env never reaches a test server
    env: {
      ...inherited,
      ENV_FILE: '/dev/null',
      PORT: '0',
      HOST: '127.0.0.1',
      ADMIN_TOKEN,
      SYNC_INTERVAL_MS: '0',
      LOG_LEVEL: 'info',
      JOBS_LEASE_MS: '5000' /* a killed server's jobs are taken over quickly; no job here runs near 5 s */,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const lines: string[] = []
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  let url: string | undefined
  const found = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in ${timeoutMs} ms:\n${lines.join('\n')}`)), timeoutMs)
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue
        lines.push(line)
        if (lines.length > 200) lines.shift()
        const m = LISTENING.exec(line)
        if (m && !url) {
          url = m[1]!.replace('localhost', '127.0.0.1')
          clearTimeout(timer)
          resolve(url)
        }
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      if (!url) reject(new Error(`server exited (${code ?? signal}) before listening:\n${lines.join('\n')}`))
    })
  })
  try {
    await found
  } catch (err) {
    child.kill('SIGKILL')
    throw err
  }
  return {
    url: url!,
    pid: child.pid!,
    child,
    tail: () => lines.join('\n'),
    rssMiB: () => {
      try {
        const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]
        return kb ? Number(kb) / 1024 : undefined
      } catch {
        return undefined
      }
    },
    kill: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      await exited
    },
  }
}

/** A fresh database for server processes: a new Postgres database on DATABASE_URL's server, else a PGlite directory. */
export const freshServerDatabase = async (): Promise<{
  env: Record<string, string>
  kind: 'postgres' | 'pglite'
  drop(): Promise<void>
}> => {
  const serverUrl = process.env.DATABASE_URL
  if (!serverUrl) {
    const dir = mkdtempSync(join(tmpdir(), 'emsp-rel-'))
    return { env: { DATA_DIR: dir }, kind: 'pglite', drop: async () => rmSync(dir, { recursive: true, force: true }) }
  }
  const name = `emsp_rel_${randomBytes(6).toString('hex')}`
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database ${name}`)
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return {
    env: { DATABASE_URL: url.toString() },
    kind: 'postgres',
    drop: async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`)
      await admin.end()
    },
  }
}
