import type { Connection, ResultSetHeader, RowDataPacket } from 'mysql2/promise'
import type { ChangeSamples } from '../database/contract'
import { quoteIdentifier } from '../database/identifiers'
import { failOnWarnings } from './write-load'
import type { ColumnMapping, TargetColumn } from './write-target'

/** The tables and columns a merge works on; names are already quoted. */
export interface MergePlan {
  target: string
  stage: string
  mappings: ColumnMapping[]
  /** Target column names of the keys. */
  keys: string[]
}

const q = (name: string): string => quoteIdentifier('mysql', name)

/** `t.k = s.k AND ...`: key equality, which the target's unique index answers. */
function keyMatch(plan: MergePlan): string {
  return plan.keys.map((key) => `t.${q(key)} = s.${q(key)}`).join(' AND ')
}

/**
 * True when a staged row differs from the target's: NULL-safe, and byte-wise for text so a
 * change of letter case counts (the target's collation may ignore case).
 */
function rowDiffers(plan: MergePlan): string {
  const keys = new Set(plan.keys)
  const same = plan.mappings
    .map((mapping) => mapping.target)
    .filter((column) => !keys.has(column.name))
    .map((column: TargetColumn) =>
      column.charset
        ? `BINARY t.${q(column.name)} <=> BINARY s.${q(column.name)}`
        : `t.${q(column.name)} <=> s.${q(column.name)}`,
    )
  return same.length === 0 ? 'FALSE' : `NOT (${same.join(' AND ')})`
}

function newRows(plan: MergePlan): string {
  return `FROM ${plan.stage} s WHERE NOT EXISTS (SELECT 1 FROM ${plan.target} t WHERE ${keyMatch(plan)})`
}

function changedRows(plan: MergePlan): string {
  return `FROM ${plan.stage} s JOIN ${plan.target} t ON ${keyMatch(plan)} WHERE ${rowDiffers(plan)}`
}

function missingRows(plan: MergePlan): string {
  return `FROM ${plan.target} t WHERE NOT EXISTS (SELECT 1 FROM ${plan.stage} s WHERE ${keyMatch(plan)})`
}

async function count(session: Connection, from: string): Promise<number> {
  const [rows] = await session.query<RowDataPacket[]>(`SELECT count(*) AS n ${from}`)
  return Number(rows[0]?.n ?? 0)
}

/**
 * Exact counts of an upsert (and for mirror, the deletes), worked out by comparing the staged
 * rows with the target, for a dry run, which must not merge.
 */
export async function countChanges(
  session: Connection,
  plan: MergePlan,
  mirror: boolean,
): Promise<{ inserted: number; updated: number; deleted: number }> {
  return {
    inserted: await count(session, newRows(plan)),
    updated: await count(session, changedRows(plan)),
    deleted: mirror ? await count(session, missingRows(plan)) : 0,
  }
}

/** Up to `limit` rows of each change, for a dry run. */
export async function sampleChanges(
  session: Connection,
  plan: MergePlan,
  mirror: boolean,
  limit: number,
): Promise<ChangeSamples> {
  const staged = plan.mappings.map((mapping) => `s.${q(mapping.target.name)}`).join(', ')
  const sample = async (sql: string): Promise<Array<Record<string, unknown>>> => {
    const [rows] = await session.query<RowDataPacket[]>(`${sql} LIMIT ${limit}`)
    return rows.map(jsonSafeRow)
  }
  return {
    insert: await sample(`SELECT ${staged} ${newRows(plan)}`),
    update: await sample(`SELECT ${staged} ${changedRows(plan)}`),
    delete: mirror ? await sample(`SELECT t.* ${missingRows(plan)}`) : [],
  }
}

/**
 * Inserts new rows and updates existing ones in one statement, finding them by the target's
 * unique key on `keys`; returns the server's affected-rows count.
 */
export async function upsertFromStage(session: Connection, plan: MergePlan): Promise<number> {
  const keys = new Set(plan.keys)
  const columns = plan.mappings.map((mapping) => q(mapping.target.name))
  const updates = plan.mappings
    .map((mapping) => mapping.target.name)
    .filter((name) => !keys.has(name))
    .map((name) => `${q(name)} = VALUES(${q(name)})`)
  // With only key columns there is nothing to update; a no-op keeps the statement valid.
  const onDuplicate =
    updates.length > 0 ? updates.join(', ') : `${q(plan.keys[0] ?? '')} = ${q(plan.keys[0] ?? '')}`
  const [header] = await session.query<ResultSetHeader>(
    `INSERT INTO ${plan.target} (${columns.join(', ')}) SELECT ${columns.map((c) => `s.${c}`).join(', ')} FROM ${plan.stage} s ON DUPLICATE KEY UPDATE ${onDuplicate}`,
  )
  await failOnWarnings(session, header)
  return header.affectedRows
}

/** Deletes target rows whose keys are not staged: what makes mirror mirror. */
export async function deleteMissing(session: Connection, plan: MergePlan): Promise<number> {
  const [header] = await session.query<ResultSetHeader>(`DELETE t ${missingRows(plan)}`)
  return header.affectedRows
}

/** A row for a report: Buffers as hex text, so it crosses the process boundary as JSON. */
export function jsonSafeRow(row: RowDataPacket | Record<string, unknown>): Record<string, unknown> {
  const safe: Record<string, unknown> = Object.create(null) as Record<string, unknown>
  for (const [name, value] of Object.entries(row)) {
    safe[name] = Buffer.isBuffer(value) ? `0x${value.toString('hex')}` : value
  }
  return safe
}
