import type { ChangeSamples, WriteOutcome, WriteRequest } from '../database/contract'
import { quoteIdentifier } from '../database/identifiers'
import { queryRows } from '../../duckdb/query'
import { changedRows } from './statements'
import { sampleRows } from './samples'

/**
 * Upsert and mirror as three set-based statements on the input relation: delete target rows
 * whose key is not in the input (mirror only), update rows whose values differ, insert rows
 * whose key is new. Each count is exact, so a second identical run reports zero. Keys match
 * with IS NOT DISTINCT FROM, so NULL keys match each other the same way on every run.
 */
export async function mergeInput(
  request: WriteRequest,
  table: string,
  keys: string[],
): Promise<Omit<WriteOutcome, 'ddl' | 'warnings' | 'written'>> {
  const duckdb = request.duckdb
  const quote = (name: string) => quoteIdentifier('duckdb', name)
  const columns = request.input.columns.map((column) => column.name)
  const keySet = new Set(keys)
  const names = columns.map(quote)
  const values = columns.filter((name) => !keySet.has(name)).map(quote)
  const matches = keys
    .map(quote)
    .map((key) => `sluice_target.${key} IS NOT DISTINCT FROM sluice_input.${key}`)
    .join(' AND ')
  const changed = values
    .map((name) => `sluice_target.${name} IS DISTINCT FROM sluice_input.${name}`)
    .join(' OR ')
  const input = `${request.input.ref} AS sluice_input`
  const newRows = `FROM ${input} WHERE NOT EXISTS (SELECT 1 FROM ${table} AS sluice_target WHERE ${matches})`
  const changedRowsOf = `FROM ${input} JOIN ${table} AS sluice_target ON ${matches} WHERE ${changed || 'false'}`
  const missingRows = `FROM ${table} AS sluice_target WHERE NOT EXISTS (SELECT 1 FROM ${input} WHERE ${matches})`
  const mirror = request.mode === 'mirror'

  let samples: ChangeSamples | undefined
  if (request.dryRun) {
    const sample = (sql: string) => queryRows(duckdb, `${sql} LIMIT ${sampleRows}`, request.signal)
    samples = {
      insert: await sample(`SELECT sluice_input.* ${newRows}`),
      update: await sample(`SELECT sluice_input.* ${changedRowsOf}`),
      delete: mirror ? await sample(`SELECT sluice_target.* ${missingRows}`) : [],
    }
  }
  // Deleting first frees unique values that incoming rows may take over.
  const deleted = mirror ? await changedRows(duckdb, `DELETE ${missingRows}`, request) : 0
  const updated =
    values.length > 0
      ? await changedRows(
          duckdb,
          `UPDATE ${table} AS sluice_target SET ${values
            .map((name) => `${name} = sluice_input.${name}`)
            .join(', ')} FROM ${input} WHERE ${matches} AND (${changed})`,
          request,
        )
      : 0
  const inserted = await changedRows(
    duckdb,
    `INSERT INTO ${table} (${names.join(', ')}) SELECT ${names
      .map((name) => `sluice_input.${name}`)
      .join(', ')} ${newRows}`,
    request,
  )
  request.progress({ rows: inserted + updated + deleted, percent: 100 })
  return { inserted, updated, deleted, ...(samples ? { samples } : {}) }
}
