import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

/** Kernel clock ticks per second, the unit of `/proc/stat` and `/proc/<pid>/stat`. */
export const ticksPerSecond =
  Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100

/** CPU seconds spent busy by the whole machine since boot (user, nice, system, irq, softirq). */
export function machineBusySeconds(): number {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? ''
  const [user, nice, system, , , irq, softirq] = cpu.trim().split(/\s+/).slice(1).map(Number)
  const busy = [user, nice, system, irq, softirq].reduce<number>((sum, n) => sum + (n ?? 0), 0)
  return busy / ticksPerSecond
}

/**
 * How many cores other processes kept busy, on average, while a child ran: the machine's busy
 * CPU time over the child's life minus the child's own. On a 2-core machine anything much above
 * zero means the measurement was shared with other work (another test run, a build).
 */
export function otherLoad(
  busySeconds: number,
  childCpuSeconds: number,
  wallSeconds: number,
): number {
  return wallSeconds > 0 ? Math.max(0, (busySeconds - childCpuSeconds) / wallSeconds) : 0
}
