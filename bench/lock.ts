import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { benchDataDir } from './data'

const lockFile = join(benchDataDir, 'bench.lock')

/** True while a process with this id exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (thrown) {
    return (thrown as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Waits until no other `npm run bench` is running, then holds the lock until this process ends.
 * Two runs at once on a 2-core machine measure each other, not Sluice; a lock left by a run
 * that died is taken over.
 */
export async function acquireBenchLock(log: (line: string) => void): Promise<void> {
  let told = false
  mkdirSync(benchDataDir, { recursive: true })
  for (;;) {
    try {
      const handle = openSync(lockFile, 'wx')
      writeSync(handle, String(process.pid))
      closeSync(handle)
      process.on('exit', () => rmSync(lockFile, { force: true }))
      return
    } catch (thrown) {
      if ((thrown as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw thrown
      }
    }
    const holder = Number.parseInt(readFileSync(lockFile, 'utf8'), 10)
    if (!Number.isInteger(holder) || !isAlive(holder)) {
      rmSync(lockFile, { force: true })
      continue
    }
    if (!told) {
      log(`another bench run (pid ${holder}) is measuring; waiting for it to finish …`)
      told = true
    }
    await sleep(5000)
  }
}
