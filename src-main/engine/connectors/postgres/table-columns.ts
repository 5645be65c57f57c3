import type pg from 'pg'
import { normalizeIdentifier } from '../database/identifiers'
import type { ServerColumnType } from './types'

/** A column of an existing table, as the catalog describes it. */
export interface TableColumn extends ServerColumnType {
  name: string
  /** The declared type, a domain's own name included (`serverType` is its base type). */
  declaredType: string
  nullable: boolean
  /** A default, identity or generated value fills it when an insert leaves it out. */
  hasDefault: boolean
  /** Generated columns cannot be written at all. */
  generated: boolean
  primaryKey: boolean
}

/** A table or view found in the catalog. */
export interface FoundTable {
  /** The schema it lives in (the connection's current schema when none was named). */
  schema: string
  /** `pg_class.relkind`: r table, p partitioned table, v view, m materialized view, f foreign. */
  kind: string
}

/** `schema = ''` means the session's current schema, usually `public`. */
const schemaCondition = `n.nspname = COALESCE(NULLIF($1, ''), current_schema())`

/** The table `schema.table`, or null when there is none. Names match exactly, as quoted SQL does. */
export async function findTable(
  client: pg.Client,
  schema: string,
  table: string,
): Promise<FoundTable | null> {
  const result = await client.query<FoundTable>(
    `SELECT n.nspname AS schema, c.relkind AS kind
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE ${schemaCondition} AND c.relname = $2 AND c.relkind IN ('r', 'p', 'v', 'm', 'f')`,
    [normalizeIdentifier(schema), normalizeIdentifier(table)],
  )
  return result.rows[0] ?? null
}

/** The columns of `schema.table` in their order; empty when there is no such table. */
export async function describeTableColumns(
  client: pg.Client,
  schema: string,
  table: string,
): Promise<TableColumn[]> {
  const result = await client.query<TableColumn>(
    `SELECT a.attname AS name,
       format_type(a.atttypid, a.atttypmod) AS "declaredType",
       CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod)
            ELSE format_type(a.atttypid, a.atttypmod) END AS "serverType",
       COALESCE(base.typcategory, t.typcategory) AS category,
       NOT a.attnotnull AS nullable,
       a.atthasdef OR a.attidentity <> '' OR a.attgenerated <> '' AS "hasDefault",
       a.attgenerated <> '' AS generated,
       EXISTS (SELECT 1 FROM pg_index i
               WHERE i.indrelid = c.oid AND i.indisprimary AND a.attnum = ANY (i.indkey)) AS "primaryKey"
     FROM pg_attribute a
     JOIN pg_class c ON c.oid = a.attrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace
     JOIN pg_type t ON t.oid = a.atttypid
     LEFT JOIN pg_type base ON t.typtype = 'd' AND base.oid = t.typbasetype
     WHERE ${schemaCondition} AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped
     ORDER BY a.attnum`,
    [normalizeIdentifier(schema), normalizeIdentifier(table)],
  )
  return result.rows
}

/**
 * Whether `keys` are exactly the columns of a unique index (primary key or unique constraint,
 * not partial, no expressions): what `INSERT ... ON CONFLICT (keys)` needs.
 */
export async function hasUniqueIndexOn(
  client: pg.Client,
  schema: string,
  table: string,
  keys: readonly string[],
): Promise<boolean> {
  const result = await client.query<{ found: boolean }>(
    `SELECT EXISTS (
       SELECT 1 FROM pg_index i
       JOIN pg_class c ON c.oid = i.indrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE ${schemaCondition} AND c.relname = $2 AND i.indisunique AND i.indpred IS NULL
         AND i.indexprs IS NULL AND i.indnkeyatts = cardinality($3::text[])
         AND (SELECT array_agg(a.attname::text COLLATE "C" ORDER BY a.attname::text COLLATE "C")
              FROM pg_attribute a
              WHERE a.attrelid = c.oid AND a.attnum = ANY (i.indkey[0:i.indnkeyatts - 1]))
           = (SELECT array_agg(k COLLATE "C" ORDER BY k COLLATE "C") FROM unnest($3::text[]) AS k)
     ) AS found`,
    [normalizeIdentifier(schema), normalizeIdentifier(table), keys.map(normalizeIdentifier)],
  )
  return result.rows[0]?.found ?? false
}
