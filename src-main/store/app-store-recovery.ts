import { existsSync, renameSync } from 'node:fs'
import { SluiceFailure } from '../../src-shared/errors'
import { AppStore } from './app-store'

/** Where a line about the app's own housekeeping goes (console in the app, a spy in tests). */
export type Log = (message: string) => void

/** Failures that mean the file itself is unusable, so a fresh one is the cure. */
const replaceableCodes = new Set(['PROJECT_DAMAGED', 'PROJECT_NOT_SLUICE', 'PROJECT_TOO_NEW'])

/**
 * Opens the app store at `path`, never refusing to start the app over it: a damaged or foreign
 * file (or one from a newer Sluice) is moved aside to `<path>.damaged-<timestamp>`, with its WAL
 * files, and a fresh store takes its place. Recent projects and window sizes are a convenience,
 * not the user's work. When even that fails (no permission, a busy disk), the app runs without an
 * app store and says why in the log.
 */
export function openAppStoreOrStartFresh(
  path: string,
  log: Log,
  now: () => Date = () => new Date(),
): AppStore | undefined {
  try {
    return AppStore.open(path)
  } catch (thrown) {
    if (!(thrown instanceof SluiceFailure) || !replaceableCodes.has(thrown.error.code)) {
      log(`Running without the app store (recent projects, window sizes): ${describe(thrown)}`)
      return undefined
    }
    const aside = `${path}.damaged-${now().toISOString().replace(/[:.]/g, '-')}`
    try {
      for (const suffix of ['', '-wal', '-shm']) {
        if (existsSync(path + suffix)) {
          renameSync(path + suffix, aside + suffix)
        }
      }
    } catch (moveFailure) {
      log(
        `Running without the app store: ${describe(thrown)}; moving it aside failed: ${describe(moveFailure)}`,
      )
      return undefined
    }
    log(
      `The app store could not be used (${describe(thrown)}); moved it to ${aside} and started a fresh one.`,
    )
    try {
      return AppStore.open(path)
    } catch (fresh) {
      log(`Running without the app store: a fresh one could not be created: ${describe(fresh)}`)
      return undefined
    }
  }
}

/** The store methods that change what main shows (the Open recent menu, the menu's language). */
const menuChanging = new Set<PropertyKey>(['rememberProject', 'forgetProject', 'setLanguage'])

/**
 * The same store, calling `onChange` after each change the menu shows, so the service process can
 * tell main to rebuild its menu without main watching the file.
 */
export function watchAppStore(store: AppStore, onChange: () => void): AppStore {
  return new Proxy(store, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver)
      if (typeof value !== 'function') {
        return value
      }
      if (!menuChanging.has(key)) {
        return value.bind(target)
      }
      return (...args: unknown[]) => {
        const result: unknown = value.apply(target, args)
        onChange()
        return result
      }
    },
  })
}

function describe(thrown: unknown): string {
  return thrown instanceof Error ? thrown.message : String(thrown)
}
