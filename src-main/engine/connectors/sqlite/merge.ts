import { randomUUID } from 'node:crypto'
import type { ChangeSamples, WriteOutcome, WriteRequest } from '../database/contract'
import { quoteIdentifier } from '../database/identifiers'
import { sluiceError, SluiceFailure } from '../../../../src-shared/errors'
import { insertInput } from './insert'
import type { SqliteDatabase } from './open'
import { sampleQuery, sampleRows } from './samples'
import { locateStagedViolation } from './violations'

/**
 * Upsert and mirror into an existing table: the input goes into a temporary table shaped like
 * the target (same affinities, so values compare as the target stores them), then three
 * set-based statements delete (mirror only), update changed rows and insert new ones. Each
 * statement's change count is exact, so a second identical run reports zero.
 *
 * Keys match with `IS`, so NULL keys match each other, the same on every run. Not
 * `INSERT ... ON CONFLICT DO UPDATE`: it needs a unique index on the keys, and its one change
 * count cannot tell inserted rows from updated ones.
 */
export async function mergeStaged(
  request: WriteRequest,
  database: SqliteDatabase,
  table: string,
  tableName: string,
  keys: string[],
): Promise<Omit<WriteOutcome, 'ddl' | 'warnings' | 'written'>> {
  const columns = request.input.columns
  const stageName = `sluice_stage_${randomUUID().replaceAll('-', '')}`
  const stage = `temp.${quoteIdentifier('sqlite', stageName)}`
  const quote = (name: string) => quoteIdentifier('sqlite', name)
  const names = columns.map((column) => quote(column.name))
  const keyNames = keys.map(quote)
  const keySet = new Set(keys)
  const valueNames = columns.filter((column) => !keySet.has(column.name)).map((c) => quote(c.name))

  // Selecting from the target with no rows copies its affinities into the temporary table.
  database.exec(
    `CREATE TEMP TABLE ${quote(stageName)} AS SELECT ${names.join(', ')} FROM ${table} WHERE 0`,
  )
  database.exec(
    `CREATE INDEX temp.${quote(`${stageName}_keys`)} ON ${quote(stageName)} (${keyNames.join(', ')})`,
  )
  await insertInput(request, database, stage, columns, tableName)

  const matchOf = (target: string, input: string) =>
    keyNames.map((key) => `${target}.${key} IS ${input}.${key}`).join(' AND ')
  const matches = matchOf('sluice_target', 'sluice_input')
  const changed = valueNames
    .map((name) => `sluice_target.${name} IS NOT sluice_input.${name}`)
    .join(' OR ')
  // New rows are found from the matched ones: the join scans the target once and probes the
  // staging table's index, where NOT EXISTS would probe the target, scanning it per row when its
  // keys have no index.
  const matched = `SELECT sluice_matched.rowid FROM ${table} AS sluice_target JOIN ${stage} AS sluice_matched ON ${matchOf('sluice_target', 'sluice_matched')}`
  const newRows = `FROM ${stage} AS sluice_input WHERE sluice_input.rowid NOT IN (${matched})`
  const changedRows = `FROM ${stage} AS sluice_input JOIN ${table} AS sluice_target ON ${matches} WHERE ${changed || 'false'}`
  const missingRows = `FROM ${table} AS sluice_target WHERE NOT EXISTS (SELECT 1 FROM ${stage} AS sluice_input WHERE ${matches})`
  const mirror = request.mode === 'mirror'

  let samples: ChangeSamples | undefined
  if (request.dryRun) {
    samples = {
      insert: sampleQuery(database, `SELECT sluice_input.* ${newRows} LIMIT ${sampleRows}`),
      update: sampleQuery(database, `SELECT sluice_input.* ${changedRows} LIMIT ${sampleRows}`),
      delete: mirror
        ? sampleQuery(database, `SELECT sluice_target.* ${missingRows} LIMIT ${sampleRows}`)
        : [],
    }
  }
  let deleted = 0
  let updated = 0
  let inserted = 0
  try {
    // Deleting first frees unique values that incoming rows may take over.
    deleted = mirror ? database.prepare(`DELETE ${missingRows}`).run().changes : 0
    updated =
      valueNames.length > 0
        ? database
            .prepare(
              `UPDATE ${table} AS sluice_target SET ${valueNames
                .map((name) => `${name} = sluice_input.${name}`)
                .join(', ')} FROM ${stage} AS sluice_input WHERE ${matches} AND (${changed})`,
            )
            .run().changes
        : 0
    inserted = database
      .prepare(
        `INSERT INTO ${table} (${names.join(', ')}) SELECT ${names.map((name) => `sluice_input.${name}`).join(', ')} ${newRows}`,
      )
      .run().changes
  } catch (thrown) {
    const message = thrown instanceof Error ? thrown.message : String(thrown)
    let where: string | null = null
    try {
      where = locateStagedViolation(
        database,
        stage,
        table,
        keys,
        columns.map((c) => c.name),
        message,
      )
    } catch {
      // Locating the row is a courtesy; the constraint's own message still says what failed.
    }
    throw new SluiceFailure(
      sluiceError(
        'PUSH_FAILED',
        {
          node: request.nodeId,
          table: tableName,
          reason: `${where ? `${where}: ` : ''}${message}.`,
        },
        { nodeId: request.nodeId, detail: message },
      ),
    )
  }
  database.exec(`DROP TABLE ${stage}`)
  return { inserted, updated, deleted, ...(samples ? { samples } : {}) }
}
