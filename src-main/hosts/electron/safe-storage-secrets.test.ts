import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { SafeStorage } from 'electron'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SluiceFailure } from '../../../src-shared/errors'
import { createSafeStorageSecrets, type SafeStorageLike } from './safe-storage-secrets'

// Electron's own safeStorage must fit, so main.ts can pass it as it is.
const _electronFits = (real: SafeStorage): SafeStorageLike => real

/** A stand-in for Electron's safeStorage: a reversible toy cipher (XOR, then reversed bytes). */
function toySafeStorage(
  backend = 'gnome_libsecret',
  available = true,
): SafeStorageLike & { calls: number } {
  const scramble = (bytes: Buffer): Buffer => Buffer.from(bytes.map((byte) => byte ^ 0xa5))
  return {
    calls: 0,
    isEncryptionAvailable: () => available,
    encryptString(text) {
      this.calls++
      return scramble(Buffer.from(text, 'utf8')).reverse()
    },
    decryptString(data) {
      this.calls++
      return scramble(Buffer.from(data).reverse()).toString('utf8')
    },
    getSelectedStorageBackend: () => backend,
  }
}

let dir: string
let file: string

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-secrets-'))
  file = join(dir, 'user-data', 'secrets.json')
})

afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('createSafeStorageSecrets', () => {
  it('saves a secret encrypted and reads it back', async () => {
    const secrets = createSafeStorageSecrets({
      safeStorage: toySafeStorage(),
      file,
      platform: 'linux',
    })
    const password = 'correct horse battery staple é'

    await secrets.set('WAREHOUSE', password)
    await secrets.set('CRM', 'pa55')

    expect(await secrets.get('WAREHOUSE')).toBe(password)
    expect(await secrets.get('CRM')).toBe('pa55')
    const text = readFileSync(file, 'utf8')
    expect(text).not.toContain(password)
    expect(text).not.toContain(Buffer.from(password, 'utf8').toString('base64'))
    expect(text).not.toContain('pa55')
    expect(Object.keys(JSON.parse(text).secrets)).toEqual(['CRM', 'WAREHOUSE'])
  })

  it('keeps the secrets for the next start of the app', async () => {
    const options = { safeStorage: toySafeStorage(), file, platform: 'darwin' as const }
    await createSafeStorageSecrets(options).set('WAREHOUSE', 'hunter2')

    expect(await createSafeStorageSecrets(options).get('WAREHOUSE')).toBe('hunter2')
  })

  it('writes the file for the user only and leaves no temporary files', async () => {
    const secrets = createSafeStorageSecrets({
      safeStorage: toySafeStorage(),
      file,
      platform: 'linux',
    })
    await Promise.all(['A', 'B', 'C', 'D'].map((ref) => secrets.set(ref, `secret ${ref}`)))

    expect(readdirSync(join(dir, 'user-data'))).toEqual(['secrets.json'])
    if (process.platform !== 'win32') {
      expect(statSync(file).mode & 0o777).toBe(0o600)
    }
    // Saved concurrently, none lost.
    for (const ref of ['A', 'B', 'C', 'D']) {
      expect(await secrets.get(ref)).toBe(`secret ${ref}`)
    }
  })

  it('has no secret for an unknown reference, even before any file exists', async () => {
    const secrets = createSafeStorageSecrets({
      safeStorage: toySafeStorage(),
      file,
      platform: 'win32',
    })

    expect(await secrets.get('WAREHOUSE')).toBeUndefined()
    await secrets.set('CRM', 'pa55')
    expect(await secrets.get('WAREHOUSE')).toBeUndefined()
  })

  it('deletes a secret and keeps the others', async () => {
    const secrets = createSafeStorageSecrets({
      safeStorage: toySafeStorage(),
      file,
      platform: 'linux',
    })
    await secrets.set('WAREHOUSE', 'hunter2')
    await secrets.set('CRM', 'pa55')

    await secrets.delete('WAREHOUSE')
    await secrets.delete('NEVER_SET')

    expect(await secrets.get('WAREHOUSE')).toBeUndefined()
    expect(await secrets.get('CRM')).toBe('pa55')
  })

  it('treats references case-insensitively, like the environment store', async () => {
    const secrets = createSafeStorageSecrets({
      safeStorage: toySafeStorage(),
      file,
      platform: 'linux',
    })
    await secrets.set('warehouse', 'hunter2')

    expect(await secrets.get('WAREHOUSE')).toBe('hunter2')
  })

  it('refuses to save or read on Linux when Electron would fall back to basic_text', async () => {
    const safeStorage = toySafeStorage('basic_text')
    const secrets = createSafeStorageSecrets({ safeStorage, file, platform: 'linux' })

    const saving = secrets.set('WAREHOUSE', 'hunter2')
    await expect(saving).rejects.toBeInstanceOf(SluiceFailure)
    await expect(saving).rejects.toMatchObject({
      error: {
        code: 'SECRET_STORE_INSECURE',
        message: expect.stringContaining(
          'Sluice will not save passwords on this system: no keyring is available, so Electron would only obfuscate passwords with a fixed key',
        ),
      },
    })
    await expect(secrets.get('WAREHOUSE')).rejects.toMatchObject({
      error: { code: 'SECRET_STORE_INSECURE' },
    })
    expect(safeStorage.calls).toBe(0)
    expect(() => statSync(file)).toThrow()
  })

  it('refuses on Linux when encryption is unavailable, and elsewhere without a keychain', async () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      const secrets = createSafeStorageSecrets({
        safeStorage: toySafeStorage('gnome_libsecret', false),
        file,
        platform,
      })
      await expect(secrets.set('WAREHOUSE', 'hunter2')).rejects.toMatchObject({
        error: { code: 'SECRET_STORE_INSECURE' },
      })
    }
  })

  it('ignores the Linux backend on other systems', async () => {
    const secrets = createSafeStorageSecrets({
      safeStorage: toySafeStorage('basic_text'),
      file,
      platform: 'darwin',
    })
    await secrets.set('WAREHOUSE', 'hunter2')

    expect(await secrets.get('WAREHOUSE')).toBe('hunter2')
  })

  it('reports use before the app is ready as a Sluice bug', async () => {
    const secrets = createSafeStorageSecrets({
      safeStorage: toySafeStorage('unknown', false),
      file,
      platform: 'linux',
    })

    await expect(secrets.get('WAREHOUSE')).rejects.toMatchObject({
      error: { code: 'INTERNAL', message: expect.stringContaining('before Electron was ready') },
    })
  })

  it('says so when the secrets file is damaged', async () => {
    const secrets = createSafeStorageSecrets({
      safeStorage: toySafeStorage(),
      file: join(dir, 'secrets.json'),
      platform: 'linux',
    })
    writeFileSync(join(dir, 'secrets.json'), '{"version": 1, "secrets": [')

    await expect(secrets.get('WAREHOUSE')).rejects.toMatchObject({
      error: { code: 'INTERNAL', message: expect.stringContaining('are damaged') },
    })
  })

  it('describes where secrets live and how to supply a missing one', () => {
    const options = { safeStorage: toySafeStorage(), file }
    expect(createSafeStorageSecrets({ ...options, platform: 'linux' }).description).toBe(
      'the system keyring',
    )
    expect(createSafeStorageSecrets({ ...options, platform: 'darwin' }).description).toBe(
      'the macOS Keychain',
    )
    expect(createSafeStorageSecrets({ ...options, platform: 'linux' }).hint('WAREHOUSE')).toBe(
      "enter it in the connection's settings",
    )
  })
})
