import { randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { z } from 'zod'
import { sluiceError, SluiceFailure } from '../../../src-shared/errors'
import type { SecretStore } from '../../service/secrets/secret-store'

/**
 * The part of Electron's `safeStorage` this store uses, so tests can pass a stand-in and main.ts
 * the real module. Electron's methods work only after the app's 'ready' event: before it,
 * `isEncryptionAvailable()` is false and on Linux `getSelectedStorageBackend()` is 'unknown'.
 */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean
  encryptString(text: string): Buffer
  decryptString(data: Buffer): string
  /** Linux only: 'basic_text', 'gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6' or 'unknown'. */
  getSelectedStorageBackend?(): string
}

export interface SafeStorageSecretsOptions {
  safeStorage: SafeStorageLike
  /** The JSON file of ciphertexts, in the user-data folder. */
  file: string
  platform: NodeJS.Platform
}

const secretsFileSchema = z.object({
  version: z.literal(1),
  /** Secret reference → ciphertext from `encryptString`, base64. */
  secrets: z.record(z.string(), z.string()),
})

/**
 * Secrets for the desktop app: each value encrypted with Electron's safeStorage (Keychain on
 * macOS, DPAPI on Windows, the desktop keyring on Linux) and kept as base64 in `file`, written
 * atomically and readable by the user only. Create it after the app is ready. It refuses to read
 * or save a secret where safeStorage cannot really encrypt (see `insecureReason`).
 */
export function createSafeStorageSecrets(options: SafeStorageSecretsOptions): SecretStore {
  const { safeStorage, file, platform } = options
  // One read-modify-write at a time, so two quick saves cannot drop each other's secret.
  let queue: Promise<unknown> = Promise.resolve()
  const exclusive = <T>(task: () => Promise<T>): Promise<T> => {
    const result = queue.then(task)
    queue = result.catch(() => undefined)
    return result
  }

  const requireEncryption = (): void => {
    const reason = insecureReason(safeStorage, platform)
    if (reason !== undefined) {
      throw new SluiceFailure(sluiceError('SECRET_STORE_INSECURE', { reason }))
    }
  }

  return {
    description: storeDescription(platform),

    get: (ref) =>
      exclusive(async () => {
        requireEncryption()
        const ciphertext = (await readSecrets(file)).get(keyFor(ref))
        if (ciphertext === undefined) {
          return undefined
        }
        try {
          return safeStorage.decryptString(Buffer.from(ciphertext, 'base64'))
        } catch (thrown) {
          const reason = thrown instanceof Error ? thrown.message : String(thrown)
          throw new SluiceFailure(
            sluiceError(
              'INTERNAL',
              {
                reason: `the saved secret ${keyFor(ref)} could not be decrypted (was the keyring reset?); enter it again`,
              },
              { detail: reason },
            ),
          )
        }
      }),

    set: (ref, value) =>
      exclusive(async () => {
        requireEncryption()
        const secrets = await readSecrets(file)
        secrets.set(keyFor(ref), safeStorage.encryptString(value).toString('base64'))
        await writeSecrets(file, secrets)
      }),

    // Deleting only drops ciphertext, so it works even where encryption does not.
    delete: (ref) =>
      exclusive(async () => {
        const secrets = await readSecrets(file)
        if (secrets.delete(keyFor(ref))) {
          await writeSecrets(file, secrets)
        }
      }),

    hint: () => "enter it in the connection's settings",
  }
}

/**
 * Why safeStorage cannot protect a secret here, or undefined when it can. On Linux without a
 * keyring Electron picks the 'basic_text' backend and still reports encryption as available, but
 * it then encrypts with a password hard-coded in Chromium: anyone who copies the file can read it.
 */
export function insecureReason(
  safeStorage: SafeStorageLike,
  platform: NodeJS.Platform,
): string | undefined {
  if (platform === 'linux') {
    const backend = safeStorage.getSelectedStorageBackend?.()
    if (backend === 'unknown') {
      // Only before the app's 'ready' event: a bug in Sluice, not the user's system.
      throw new SluiceFailure(
        sluiceError('INTERNAL', { reason: 'the secret store was used before Electron was ready' }),
      )
    }
    if (backend === 'basic_text' || !safeStorage.isEncryptionAvailable()) {
      return 'no keyring is available, so Electron would only obfuscate passwords with a fixed key built into every copy of it, not encrypt them'
    }
    return undefined
  }
  if (!safeStorage.isEncryptionAvailable()) {
    return platform === 'darwin'
      ? 'the macOS Keychain is not available to Sluice'
      : 'the system cannot encrypt data for this user'
  }
  return undefined
}

function storeDescription(platform: NodeJS.Platform): string {
  switch (platform) {
    case 'darwin':
      return 'the macOS Keychain'
    case 'win32':
      return 'Windows user encryption (DPAPI)'
    default:
      return 'the system keyring'
  }
}

// Upper-cased like the environment store's variable names, so a reference means the same secret
// in the desktop app and in the CLI.
function keyFor(ref: string): string {
  return ref.toUpperCase()
}

async function readSecrets(file: string): Promise<Map<string, string>> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (thrown) {
    if ((thrown as NodeJS.ErrnoException).code === 'ENOENT') {
      return new Map()
    }
    throw thrown
  }
  let parsed: z.infer<typeof secretsFileSchema>
  try {
    parsed = secretsFileSchema.parse(JSON.parse(text))
  } catch (thrown) {
    const reason = thrown instanceof Error ? thrown.message : String(thrown)
    throw new SluiceFailure(
      sluiceError(
        'INTERNAL',
        {
          reason: `the saved secrets in ${file} are damaged; delete the file and enter them again`,
        },
        { detail: reason },
      ),
    )
  }
  // A Map, so no reference can ever be mistaken for an object's own machinery.
  return new Map(Object.entries(parsed.secrets))
}

/** Replaces `file` in one step (temp file + rename), readable and writable by the user only. */
async function writeSecrets(file: string, secrets: Map<string, string>): Promise<void> {
  const content: z.infer<typeof secretsFileSchema> = {
    version: 1,
    secrets: Object.fromEntries([...secrets].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  }
  await mkdir(dirname(file), { recursive: true, mode: 0o700 })
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`
  try {
    await writeFile(temp, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600, flag: 'wx' })
    await rename(temp, file)
  } catch (thrown) {
    await rm(temp, { force: true })
    throw thrown
  }
}
