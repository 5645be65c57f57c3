import { join } from 'node:path'
import { expect, it } from 'vitest'
import { userConfigDir } from './user-config-dir'

it('follows each platform’s place for settings', () => {
  const home = '/home/ana'
  expect(userConfigDir({}, 'linux', home)).toBe(join(home, '.config'))
  expect(userConfigDir({ XDG_CONFIG_HOME: '/xdg' }, 'linux', home)).toBe('/xdg')
  // A relative XDG_CONFIG_HOME is invalid by the spec and ignored.
  expect(userConfigDir({ XDG_CONFIG_HOME: 'rel' }, 'linux', home)).toBe(join(home, '.config'))
  expect(userConfigDir({}, 'darwin', home)).toBe(join(home, 'Library', 'Application Support'))
  expect(userConfigDir({ APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' }, 'win32', home)).toBe(
    'C:\\Users\\ana\\AppData\\Roaming',
  )
})
