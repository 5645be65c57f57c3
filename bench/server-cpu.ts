import { readdirSync, readFileSync } from 'node:fs'
import type { ServerInfo } from '../scripts/test-servers'
import { runSql, type DatabaseKind } from './database-clients'
import { ticksPerSecond } from './machine-load'

interface ProcessTimes {
  parent: number
  /** utime + stime + cutime + cstime: its own CPU and that of the children it has reaped. */
  ticks: number
}

function processTimes(pid: number): ProcessTimes | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The name (field 2) may hold spaces; the fields after its closing parenthesis do not.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const [utime, stime, cutime, cstime] = [11, 12, 13, 14].map((index) => Number(fields[index]))
    return {
      parent: Number(fields[1]),
      ticks: [utime, stime, cutime, cstime].reduce<number>((sum, n) => sum + (n ?? 0), 0),
    }
  } catch {
    return null // it exited meanwhile
  }
}

/**
 * A reader of the CPU seconds a test server has used so far, so case (i) counts the server's
 * work as part of the measurement and not as other load. PostgreSQL: the postmaster, its live
 * children (backends, checkpointer) and the backends it has reaped. MariaDB: one process.
 */
export function serverCpu(kind: DatabaseKind, server: ServerInfo): () => number {
  const pidFile =
    kind === 'postgres'
      ? `${runSql(kind, server, ['SHOW data_directory'])}/postmaster.pid`
      : runSql(kind, server, ['SELECT @@pid_file'])
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0])
  if (!Number.isInteger(pid) || pid <= 0) {
    throw new Error(`no server process id in ${pidFile}`)
  }
  return () => {
    if (kind === 'mysql') {
      return (processTimes(pid)?.ticks ?? 0) / ticksPerSecond
    }
    // A backend reaped between reading it and reading the postmaster would be lost (its time
    // moves into the postmaster's cutime after we read that): read the children on both sides
    // of the postmaster and retry until no child came or went in between.
    for (let attempt = 0; ; attempt += 1) {
      const before = childTicks(pid)
      const own = processTimes(pid)?.ticks ?? 0
      const after = childTicks(pid)
      const same =
        before.size === after.size && [...before.keys()].every((child) => after.has(child))
      if (same || attempt >= 100) {
        return [...after.values()].reduce((sum, ticks) => sum + ticks, own) / ticksPerSecond
      }
      Atomics.wait(pause, 0, 0, 10)
    }
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4))

/** The CPU ticks of each live child of `parent`, by process id. */
function childTicks(parent: number): Map<number, number> {
  const ticks = new Map<number, number>()
  for (const name of readdirSync('/proc')) {
    const child = /^\d+$/.test(name) ? processTimes(Number(name)) : null
    if (child?.parent === parent) {
      ticks.set(Number(name), child.ticks)
    }
  }
  return ticks
}
