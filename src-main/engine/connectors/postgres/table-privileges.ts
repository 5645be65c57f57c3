import pg from 'pg'
import { quoteIdentifier } from '../database/identifiers'

/** One privilege a role holds on a table, or on one of its columns. */
interface Grant {
  /** Role name; null for PUBLIC. */
  grantee: string | null
  privilege: string
  grantable: boolean
  /** Null for the whole table. */
  column: string | null
}

/** Who owns a table, who may do what with it, and its comment: what `CREATE TABLE` resets. */
export interface TableAccess {
  owner: string
  grants: Grant[]
  comment: string | null
}

/** Privilege keywords as the server names them; anything else is never pasted into a GRANT. */
const privileges = new Set([
  'SELECT',
  'INSERT',
  'UPDATE',
  'DELETE',
  'TRUNCATE',
  'REFERENCES',
  'TRIGGER',
  'MAINTAIN',
])

/**
 * The owner, table and column privileges and the comment of `table` (quoted). A NULL ACL means
 * the owner's defaults, which `acldefault` spells out, so both tables compare entry by entry.
 */
export async function readTableAccess(client: pg.Client, table: string): Promise<TableAccess> {
  const owner = await client.query<{ owner: string; comment: string | null }>(
    `SELECT pg_get_userbyid(c.relowner) AS owner, obj_description(c.oid, 'pg_class') AS comment
     FROM pg_class c WHERE c.oid = $1::regclass`,
    [table],
  )
  const grants = await client.query<Grant>(
    `SELECT CASE WHEN a.grantee = 0 THEN NULL ELSE pg_get_userbyid(a.grantee) END AS grantee,
            a.privilege_type AS privilege, a.is_grantable AS grantable, NULL::text AS column
     FROM pg_class c, aclexplode(COALESCE(c.relacl, acldefault('r', c.relowner))) a
     WHERE c.oid = $1::regclass
     UNION ALL
     SELECT CASE WHEN a.grantee = 0 THEN NULL ELSE pg_get_userbyid(a.grantee) END,
            a.privilege_type, a.is_grantable, att.attname::text
     FROM pg_attribute att, aclexplode(att.attacl) a
     WHERE att.attrelid = $1::regclass AND att.attnum > 0 AND NOT att.attisdropped
       AND att.attacl IS NOT NULL`,
    [table],
  )
  return {
    owner: owner.rows[0]?.owner ?? '',
    comment: owner.rows[0]?.comment ?? null,
    grants: grants.rows,
  }
}

/**
 * The statements that give `table` (quoted) the owner, privileges and comment `wanted` describes,
 * given what it has now. Several grantors of one privilege collapse into one grant.
 */
export function restoreAccessSql(table: string, wanted: TableAccess, now: TableAccess): string[] {
  const statements: string[] = []
  if (wanted.owner !== now.owner) {
    statements.push(`ALTER TABLE ${table} OWNER TO ${quoteIdentifier('postgres', wanted.owner)}`)
  }
  // After a change of owner the server moves the old owner's entries to the new one.
  const current = byPrivilege(
    now.grants.map((grant) =>
      grant.grantee === now.owner ? { ...grant, grantee: wanted.owner } : grant,
    ),
  )
  const target = byPrivilege(wanted.grants)
  for (const [key, grant] of current) {
    if (!target.has(key)) {
      statements.push(`REVOKE ${privilegeOn(grant, table)} FROM ${role(grant)}`)
    }
  }
  for (const [key, grant] of target) {
    const had = current.get(key)
    if (!had || (grant.grantable && !had.grantable)) {
      const option = grant.grantable ? ' WITH GRANT OPTION' : ''
      statements.push(`GRANT ${privilegeOn(grant, table)} TO ${role(grant)}${option}`)
    } else if (!grant.grantable && had.grantable) {
      statements.push(`REVOKE GRANT OPTION FOR ${privilegeOn(grant, table)} FROM ${role(grant)}`)
    }
  }
  if (wanted.comment !== now.comment) {
    const text = wanted.comment === null ? 'NULL' : pg.escapeLiteral(wanted.comment)
    statements.push(`COMMENT ON TABLE ${table} IS ${text}`)
  }
  return statements
}

function byPrivilege(grants: readonly Grant[]): Map<string, Grant> {
  const merged = new Map<string, Grant>()
  for (const grant of grants) {
    const key = JSON.stringify([grant.grantee, grant.privilege, grant.column])
    const seen = merged.get(key)
    merged.set(key, { ...grant, grantable: grant.grantable || (seen?.grantable ?? false) })
  }
  return merged
}

function privilegeOn(grant: Grant, table: string): string {
  if (!privileges.has(grant.privilege)) {
    throw new Error(`the table has a privilege this version does not know: ${grant.privilege}`)
  }
  const column = grant.column === null ? '' : ` (${quoteIdentifier('postgres', grant.column)})`
  return `${grant.privilege}${column} ON TABLE ${table}`
}

function role(grant: Grant): string {
  return grant.grantee === null ? 'PUBLIC' : quoteIdentifier('postgres', grant.grantee)
}
