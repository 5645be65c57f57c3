import { describe, expect, it } from 'vitest'
import { defaultWindowState, restoreWindowState } from './window-state'

const laptop = { x: 0, y: 0, width: 1440, height: 875 }
const monitor = { x: 1440, y: -200, width: 2560, height: 1400 }

describe('restoreWindowState', () => {
  it('reopens the window where it was', () => {
    const saved = { x: 100, y: 50, width: 1200, height: 700, maximized: false }
    expect(restoreWindowState(saved, [laptop, monitor])).toEqual(saved)
    const maximized = { x: 1500, y: -100, width: 2000, height: 1200, maximized: true }
    expect(restoreWindowState(maximized, [laptop, monitor])).toEqual(maximized)
  })

  it('uses the default when nothing usable was saved', () => {
    for (const saved of [undefined, null, 'big', { width: 'wide' }, { width: -5, height: 10 }]) {
      expect(restoreWindowState(saved, [laptop])).toEqual(defaultWindowState)
    }
  })

  it('centres a window whose monitor is gone, keeping its size if it fits', () => {
    const onMonitor = { x: 1600, y: 0, width: 1200, height: 800, maximized: false }
    expect(restoreWindowState(onMonitor, [laptop])).toEqual({
      width: 1200,
      height: 800,
      maximized: false,
    })
  })

  it('shrinks a window larger than its screen and pulls it fully onto it', () => {
    const saved = { x: -300, y: 500, width: 3000, height: 2000, maximized: false }
    expect(restoreWindowState(saved, [laptop])).toEqual({
      x: 0,
      y: 0,
      width: 1440,
      height: 875,
      maximized: false,
    })
  })

  it('never opens smaller than the minimum size', () => {
    expect(restoreWindowState({ width: 200, height: 100 }, [laptop])).toEqual({
      width: 800,
      height: 560,
      maximized: false,
    })
  })
})
