import { sluiceError, SluiceFailure } from '../../../src-shared/errors'
import type { SecretStore } from './secret-store'

/** The environment variable that holds the secret `ref`: `SLUICE_SECRET_<REF>`. */
export function secretVariable(ref: string): string {
  return `SLUICE_SECRET_${ref.toUpperCase()}`
}

/**
 * Secrets for the CLI and the web host: read from `SLUICE_SECRET_<REF>` environment variables,
 * never written, so a secret never touches disk through Sluice.
 */
export function createEnvironmentSecrets(
  env: Record<string, string | undefined> = process.env,
): SecretStore {
  const refuse = (ref: string): Promise<never> =>
    Promise.reject(
      new SluiceFailure(sluiceError('SECRET_STORE_READ_ONLY', { variable: secretVariable(ref) })),
    )
  return {
    description: 'environment variables',
    // An empty variable counts as unset: `SLUICE_SECRET_X= sluice run` is how shells clear one.
    get: (ref) => Promise.resolve(env[secretVariable(ref)] || undefined),
    set: (ref) => refuse(ref),
    delete: (ref) => refuse(ref),
    hint: (ref) => `set ${secretVariable(ref)}`,
  }
}
