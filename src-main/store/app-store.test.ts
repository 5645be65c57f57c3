import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { AppStore } from './app-store'
import { useTempDir } from './store-test-support'

const tempDir = useTempDir()

describe('app store', () => {
  it('keeps the 20 most recent projects, newest first', () => {
    const path = join(tempDir(), 'app.sqlite')
    const app = AppStore.open(path)
    for (let i = 0; i < 25; i += 1) {
      app.rememberProject({ path: `/p/${i}.sluice`, name: `P${i}` })
    }
    app.rememberProject({ path: '/p/3.sluice', name: 'P3 again' })
    const recent = app.recentProjects()
    expect(recent).toHaveLength(20)
    expect(recent.slice(0, 3).map((p) => p.name)).toEqual(['P3 again', 'P24', 'P23'])
    app.forgetProject('/p/24.sluice')
    expect(app.recentProjects().map((p) => p.name)).not.toContain('P24')
    app.close()
  })

  it('remembers language and window state across opens', () => {
    const path = join(tempDir(), 'app.sqlite')
    const app = AppStore.open(path)
    expect(app.language()).toBe('en')
    expect(app.windowState('main')).toBeUndefined()
    app.setLanguage('zh-CN')
    app.setWindowState('main', { width: 1200, maximized: false, panels: ['log'] })
    app.close()
    const reopened = AppStore.open(path)
    expect(reopened.language()).toBe('zh-CN')
    expect(reopened.windowState('main')).toEqual({ width: 1200, maximized: false, panels: ['log'] })
    reopened.close()
  })
})
