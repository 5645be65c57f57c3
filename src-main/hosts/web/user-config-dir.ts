import { homedir } from 'node:os'
import { join } from 'node:path'

/**
 * The folder each platform keeps an application's settings in: `%APPDATA%` on Windows,
 * `~/Library/Application Support` on macOS, `$XDG_CONFIG_HOME` or `~/.config` elsewhere.
 */
export function userConfigDir(
  env: Record<string, string | undefined> = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (platform === 'win32') {
    return env['APPDATA'] || join(home, 'AppData', 'Roaming')
  }
  if (platform === 'darwin') {
    return join(home, 'Library', 'Application Support')
  }
  // The XDG spec says a relative value is invalid and must be ignored.
  const xdg = env['XDG_CONFIG_HOME']
  return xdg && xdg.startsWith('/') ? xdg : join(home, '.config')
}
