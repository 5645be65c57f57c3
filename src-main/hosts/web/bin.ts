import { existsSync, mkdirSync } from 'node:fs'
import { homedir } from 'node:os'
import { delimiter, join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { createEnvironmentSecrets, createSluiceService } from '../../service'
import { openAppStoreOrStartFresh } from '../../store/app-store-recovery'
import { userConfigDir } from './user-config-dir'
import { isValidToken } from './web-access'
import { startWebHost, type WebHost } from './web-host'

/**
 * `npm run web`: Sluice in a browser, like a notebook server. Serves the built renderer and the
 * API on 127.0.0.1 behind a session token, until Ctrl+C.
 *
 *   --port N   (or SLUICE_WEB_PORT)   default: a free port
 *   --token T  (or SLUICE_WEB_TOKEN)  default: a random token; a fixed one is for e2e tests only
 *   SLUICE_WEB_ROOTS                  more folders the file picker may browse (path-delimited)
 */

const exitCodes = { ok: 0, failed: 1, invalid: 2 } as const

function fail(message: string, code: number): never {
  process.stderr.write(`${message}\n`)
  process.exit(code)
}

function readOptions(): { port: number; token: string | undefined } {
  let values: { port?: string; token?: string }
  try {
    values = parseArgs({
      args: process.argv.slice(2),
      options: { port: { type: 'string' }, token: { type: 'string' } },
    }).values
  } catch (thrown) {
    const reason = thrown instanceof Error ? thrown.message : String(thrown)
    fail(`${reason}\nUsage: npm run web -- [--port N] [--token T]`, exitCodes.invalid)
  }
  const portText = values.port ?? process.env['SLUICE_WEB_PORT'] ?? '0'
  const port = Number(portText)
  if (!/^\d+$/.test(portText) || port > 65535) {
    fail(`The port must be a number from 0 to 65535, not "${portText}".`, exitCodes.invalid)
  }
  const token = values.token ?? (process.env['SLUICE_WEB_TOKEN'] || undefined)
  if (token !== undefined && !isValidToken(token)) {
    fail('The token may only hold letters, digits and . _ ~ -', exitCodes.invalid)
  }
  return { port, token }
}

/** The user's home folder, and test folders from SLUICE_WEB_ROOTS. */
function fileRoots(): string[] {
  const extra = (process.env['SLUICE_WEB_ROOTS'] ?? '').split(delimiter).filter(Boolean)
  return [homedir(), ...extra.map((root) => resolve(root))]
}

const rendererDir = resolve(import.meta.dirname, '../../../out/renderer')
if (!existsSync(join(rendererDir, 'index.html'))) {
  fail(
    `The renderer is not built (${rendererDir} has no index.html).\n` +
      'Run `npm run web` (it builds the renderer first).',
    exitCodes.invalid,
  )
}

const { port, token } = readOptions()
const configDir = join(userConfigDir(), 'sluice')
mkdirSync(configDir, { recursive: true })
// Recent projects and settings are a convenience: a damaged file is moved aside, never fatal.
const appStore = openAppStoreOrStartFresh(join(configDir, 'app-store.db'), (message) =>
  process.stderr.write(`${message}\n`),
)
const service = createSluiceService({
  secrets: createEnvironmentSecrets(),
  appStore,
  fileRoots: fileRoots(),
})

let host: WebHost
try {
  host = await startWebHost({ service, rendererDir, port, token })
} catch (thrown) {
  await service.close()
  appStore?.close()
  const code = (thrown as NodeJS.ErrnoException).code
  const reason = thrown instanceof Error ? thrown.message : String(thrown)
  fail(
    code === 'EADDRINUSE'
      ? `Port ${port} is in use; choose another with --port (0 picks a free one).`
      : `The web host could not start: ${reason}`,
    exitCodes.failed,
  )
}

process.stdout.write(`Sluice is running at ${host.url}\nPress Ctrl+C to stop.\n`)

let stopping = false
async function stop(): Promise<void> {
  if (stopping) {
    // A second Ctrl+C while runs are being cancelled: stop waiting.
    process.exit(exitCodes.failed)
  }
  stopping = true
  process.stdout.write('\nStopping Sluice…\n')
  await host.close()
  // Cancels running pipelines and closes the open project.
  await service.close()
  appStore?.close()
  process.exit(exitCodes.ok)
}
process.on('SIGINT', () => void stop())
process.on('SIGTERM', () => void stop())
