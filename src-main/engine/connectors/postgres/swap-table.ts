import type pg from 'pg'
import { quoteIdentifier, quoteQualified } from '../database/identifiers'
import { readTableAccess, restoreAccessSql } from './table-privileges'

/** Where the replacement table is built, beside the table it replaces. */
export interface SwapNames {
  schema: string
  table: string
  replacement: string
}

const quote = (name: string): string => quoteIdentifier('postgres', name)

/** The empty twin of the target: columns, defaults, constraints, indexes, identity, comments. */
export function createReplacementSql(names: SwapNames): string {
  return (
    `CREATE TABLE ${quoteQualified('postgres', names.schema, names.replacement)} ` +
    `(LIKE ${quoteQualified('postgres', names.schema, names.table)} INCLUDING ALL)`
  )
}

/**
 * Swaps the filled replacement in for the target, inside the caller's transaction so readers see
 * the old table or the new one, never neither. The replacement first takes the old table's owner,
 * privileges (table and column GRANTs) and comment, which `CREATE TABLE ... LIKE` does not copy;
 * serial columns' sequences move to it (dropping the old table would otherwise drop them, or
 * refuse; this needs the owner moved first), and the copied indexes take the old indexes' names
 * back. What it cannot carry over, `replaceBlockers` refuses beforehand. Returns the DDL it ran.
 */
export async function swapInReplacement(client: pg.Client, names: SwapNames): Promise<string[]> {
  const target = quoteQualified('postgres', names.schema, names.table)
  const replacement = quoteQualified('postgres', names.schema, names.replacement)
  const ddl: string[] = []
  const run = async (sql: string): Promise<void> => {
    ddl.push(sql)
    await client.query(sql)
  }
  const access = restoreAccessSql(
    replacement,
    await readTableAccess(client, target),
    await readTableAccess(client, replacement),
  )
  for (const statement of access) {
    await run(statement)
  }
  // Sequences come back as regclass text, which the server quotes itself.
  const owned = await client.query<{ sequence: string; column: string }>(
    `SELECT d.objid::regclass::text AS sequence, a.attname AS column
     FROM pg_depend d
     JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
     JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
     WHERE d.classid = 'pg_class'::regclass AND d.refobjid = $1::regclass AND d.deptype = 'a'`,
    [target],
  )
  for (const row of owned.rows) {
    await run(`ALTER SEQUENCE ${row.sequence} OWNED BY ${replacement}.${quote(row.column)}`)
  }
  const renames = await indexRenames(client, target, replacement)
  await run(`DROP TABLE ${target}`)
  await run(`ALTER TABLE ${replacement} RENAME TO ${quote(names.table)}`)
  for (const rename of renames) {
    await run(
      `ALTER INDEX ${quoteQualified('postgres', names.schema, rename.from)} RENAME TO ${quote(rename.to)}`,
    )
  }
  return ddl
}

interface IndexShape {
  name: string
  shape: string
}

/** Pairs each index of the replacement with the old index of the same definition. */
async function indexRenames(
  client: pg.Client,
  target: string,
  replacement: string,
): Promise<Array<{ from: string; to: string }>> {
  const shapes = async (table: string): Promise<IndexShape[]> => {
    const result = await client.query<IndexShape>(
      `SELECT c.relname AS name,
         i.indisprimary::text || i.indisunique::text ||
           regexp_replace(pg_get_indexdef(i.indexrelid), '^.* USING ', '') AS shape
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
       WHERE i.indrelid = $1::regclass ORDER BY c.relname`,
      [table],
    )
    return result.rows
  }
  const old = await shapes(target)
  const renames: Array<{ from: string; to: string }> = []
  for (const index of await shapes(replacement)) {
    const match = old.findIndex((candidate) => candidate.shape === index.shape)
    if (match >= 0) {
      renames.push({ from: index.name, to: old[match]?.name ?? index.name })
      old.splice(match, 1)
    }
  }
  return renames
}
