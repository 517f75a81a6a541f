// CPU time spent per request, split between this process (server + load generator) and the local
// PostgreSQL server processes: tells whether a gap to the baseline is Node work or database work.
// Reads /proc (Linux); elsewhere it reports nothing.
import { readdirSync, readFileSync } from 'node:fs'

const TICKS_PER_S = 100 // CLK_TCK on Linux

const postgresTicks = () => {
  let ticks = 0
  let dirs: string[] = []
  try {
    dirs = readdirSync('/proc')
  } catch {
    return undefined
  }
  for (const pid of dirs) {
    if (!/^\d+$/.test(pid)) continue
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const close = stat.lastIndexOf(')')
      if (!stat.slice(stat.indexOf('(') + 1, close).startsWith('postgres')) continue
      const fields = stat.slice(close + 2).split(' ')
      // utime, stime, cutime, cstime are fields 14-17 of stat, i.e. 11-14 after the command.
      ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])
    } catch {
      /* the process ended meanwhile */
    }
  }
  return ticks
}

export interface CpuSample {
  nodeMs: number
  nodeSystemMs: number
  postgresMs: number | undefined
}

/** Starts a measurement; `stop()` answers the CPU milliseconds used since, per side. */
export const cpuMeter = () => {
  const node0 = process.cpuUsage()
  const pg0 = postgresTicks()
  return {
    stop: (): CpuSample => {
      const node = process.cpuUsage(node0)
      const pg1 = postgresTicks()
      return {
        nodeMs: (node.user + node.system) / 1000,
        nodeSystemMs: node.system / 1000,
        postgresMs: pg0 === undefined || pg1 === undefined ? undefined : ((pg1 - pg0) * 1000) / TICKS_PER_S,
      }
    },
  }
}

/** "node 310 µs (kernel 90 µs) + postgres 420 µs per request" */
export const perRequest = (cpu: CpuSample, requests: number) => {
  const us = (ms: number) => `${Math.round((ms * 1000) / Math.max(1, requests))} µs`
  return `node ${us(cpu.nodeMs)} (kernel ${us(cpu.nodeSystemMs)})${cpu.postgresMs === undefined ? '' : ` + postgres ${us(cpu.postgresMs)}`} per request`
}
