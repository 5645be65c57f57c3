import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AppStore } from './app-store'
import { openAppStoreOrStartFresh, watchAppStore } from './app-store-recovery'

let dir: string
let path: string
let lines: string[]
const log = (line: string): void => {
  lines.push(line)
}
const at = () => new Date('2025-03-04T05:06:07.089Z')

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-app-store-'))
  path = join(dir, 'app-store.db')
  lines = []
})

afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('openAppStoreOrStartFresh', () => {
  it('opens a healthy store and keeps what it remembers', () => {
    const first = AppStore.open(path)
    first.rememberProject({ path: '/p/sales.sluice', name: 'Sales' })
    first.close()

    const store = openAppStoreOrStartFresh(path, log, at)

    expect(store?.recentProjects().map((project) => project.name)).toEqual(['Sales'])
    expect(lines).toEqual([])
    store?.close()
  })

  it('moves a damaged store aside, says why, and starts a fresh one', () => {
    const damaged = Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(4000, 0x5a)])
    writeFileSync(path, damaged)

    const store = openAppStoreOrStartFresh(path, log, at)

    expect(store).toBeDefined()
    store?.rememberProject({ path: '/p/new.sluice', name: 'New' })
    expect(store?.recentProjects().map((project) => project.name)).toEqual(['New'])
    store?.close()
    const aside = join(dir, 'app-store.db.damaged-2025-03-04T05-06-07-089Z')
    expect(readFileSync(aside)).toEqual(damaged)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain('could not be used')
    expect(lines[0]).toContain(aside)
  })

  it('moves aside a file that is not SQLite at all', () => {
    writeFileSync(path, 'these are not the bytes you are looking for')

    const store = openAppStoreOrStartFresh(path, log, at)

    expect(store?.language()).toBe('en')
    store?.close()
    expect(readdirSync(dir).sort()).toContain('app-store.db.damaged-2025-03-04T05-06-07-089Z')
    expect(lines[0]).toContain('not a SQLite database')
  })

  it('runs without an app store, rather than refusing to start, when the path cannot be a file', () => {
    mkdirSync(path)

    expect(openAppStoreOrStartFresh(path, log, at)).toBeUndefined()
    expect(lines[0]).toContain('Running without the app store')
    expect(readdirSync(dir)).toEqual(['app-store.db'])
  })
})

describe('watchAppStore', () => {
  it('tells about changes the menu shows, and only those', () => {
    const store = AppStore.open(path)
    let changes = 0
    const watched = watchAppStore(store, () => {
      changes += 1
    })

    watched.rememberProject({ path: '/p/a.sluice', name: 'A' })
    watched.setLanguage('zh-CN')
    watched.setWindowState('main', { width: 900 })
    expect(watched.recentProjects().map((project) => project.name)).toEqual(['A'])
    expect(watched.language()).toBe('zh-CN')
    watched.forgetProject('/p/a.sluice')

    expect(changes).toBe(3)
    watched.close()
  })
})
