import { sluiceError, type SluiceError } from '../errors'
import { currentFormatVersion } from './document'

/** Rewrites a document of format `from` into format `from + 1`. */
export type FormatMigration = (document: Record<string, unknown>) => Record<string, unknown>

/**
 * Migrations keyed by the version they upgrade from. Format 1 is the first released format, so
 * the table is empty; a format change adds an entry here and never rejects an old document.
 */
export const formatMigrations: Readonly<Record<number, FormatMigration>> = {}

export type MigrationResult =
  | { ok: true; document: Record<string, unknown>; migratedFrom?: number }
  | { ok: false; error: SluiceError }

/** Brings a parsed JSON document up to the current format, or says why it cannot. */
export function migratePipeline(
  raw: unknown,
  migrations: Readonly<Record<number, FormatMigration>> = formatMigrations,
  targetVersion: number = currentFormatVersion,
): MigrationResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return {
      ok: false,
      error: sluiceError('FORMAT_UNKNOWN', { reason: 'it is not a JSON object' }),
    }
  }
  let document = raw as Record<string, unknown>
  const found = document.formatVersion
  if (typeof found !== 'number' || !Number.isInteger(found) || found < 0) {
    return {
      ok: false,
      error: sluiceError('FORMAT_UNKNOWN', { reason: 'it has no whole-number "formatVersion"' }),
    }
  }
  if (found > targetVersion) {
    return { ok: false, error: sluiceError('FORMAT_TOO_NEW', { found }) }
  }
  for (let version = found; version < targetVersion; version += 1) {
    const step = migrations[version]
    if (!step) {
      return {
        ok: false,
        error: sluiceError('FORMAT_UNKNOWN', { reason: `no migration from format ${version}` }),
      }
    }
    document = { ...step(document), formatVersion: version + 1 }
  }
  return found === targetVersion
    ? { ok: true, document }
    : { ok: true, document, migratedFrom: found }
}
