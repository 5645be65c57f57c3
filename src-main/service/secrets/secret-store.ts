/**
 * Where connection secrets live. A project file holds only a secret's reference (`secretRef`);
 * the desktop app keeps the value encrypted with Electron's safeStorage, the CLI and the web host
 * read it from an environment variable named after the reference.
 */
export interface SecretStore {
  /** Shown to users: where secrets live, e.g. 'environment variables' or 'the system keyring'. */
  readonly description: string
  get(ref: string): Promise<string | undefined>
  set(ref: string, value: string): Promise<void>
  delete(ref: string): Promise<void>
  /** How a user supplies a missing secret, for the SECRET_MISSING message, e.g. 'set SLUICE_SECRET_WAREHOUSE'. */
  hint(ref: string): string
}

const maxRefLength = 100
const fallbackRef = 'CONNECTION'

/**
 * The default secret reference for a connection: its name in upper-case ASCII letters and digits
 * with everything else turned into single underscores, e.g. 'Sales warehouse (EU)' →
 * 'SALES_WAREHOUSE_EU'. Never empty, at most 100 characters, so it fits `secretRef`'s schema and
 * is a valid environment variable suffix.
 */
export function secretRefFor(connectionName: string): string {
  const ref = connectionName
    .normalize('NFKD')
    // NFKD splits 'é' into 'e' and a combining accent; drop the accent so 'Müller' keeps its 'u'.
    .replace(/\p{M}/gu, '')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toUpperCase()
    .replace(/^_+|_+$/g, '')
    .slice(0, maxRefLength)
    .replace(/_+$/, '')
  return ref === '' ? fallbackRef : ref
}
