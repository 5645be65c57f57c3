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
    let ticks = processTimes(pid)?.ticks ?? 0
    if (kind === 'postgres') {
      for (const name of readdirSync('/proc')) {
        const child = /^\d+$/.test(name) ? processTimes(Number(name)) : null
        if (child?.parent === pid) {
          ticks += child.ticks
        }
      }
    }
    return ticks / ticksPerSecond
  }
}
