import { isAbsolute, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const projectExtension = '.sluice'

/**
 * The project file a command line asks to open (a double-clicked `.sluice` file on Windows and
 * Linux arrives as an argument), as an absolute path, or undefined. Flags are skipped, including
 * the ones Chromium appends to a second instance's argv (`--original-process-start-time=…`) and
 * macOS's `-psn_…`; `file://` URLs from desktop launchers are turned into paths; the last project
 * wins. `argv[0]` is the executable. On macOS the OS sends `open-file` events instead.
 */
export function projectPathFromArgv(
  argv: readonly string[],
  workingDirectory: string = process.cwd(),
): string | undefined {
  let found: string | undefined
  let afterSeparator = false
  for (const arg of argv.slice(1)) {
    if (!afterSeparator && arg === '--') {
      afterSeparator = true
      continue
    }
    if (!afterSeparator && arg.startsWith('-')) {
      continue
    }
    const path = toPath(arg)
    if (path !== undefined && path.toLowerCase().endsWith(projectExtension)) {
      found = isAbsolute(path) ? resolve(path) : resolve(workingDirectory, path)
    }
  }
  return found
}

function toPath(arg: string): string | undefined {
  if (!arg.startsWith('file:')) {
    return arg
  }
  try {
    return fileURLToPath(arg)
  } catch {
    return undefined
  }
}
