import type pg from 'pg'

/**
 * What a replace cannot carry over to the new table: dropping the old one would silently lose it
 * (row-level security, triggers, rules, publication membership, foreign keys it holds) or break
 * it (views and foreign keys that point at it, partitions and inheritance). Each entry names the
 * objects, e.g. `triggers "audit", "touch"`; empty when the table can be replaced.
 */
export async function replaceBlockers(client: pg.Client, target: string): Promise<string[]> {
  const result = await client.query<Record<string, string[] | boolean | null>>(
    `SELECT
       c.relrowsecurity OR c.relforcerowsecurity AS "rowSecurity",
       ARRAY(SELECT quote_ident(p.polname) FROM pg_policy p
             WHERE p.polrelid = c.oid ORDER BY 1) AS policies,
       ARRAY(SELECT quote_ident(t.tgname) FROM pg_trigger t
             WHERE t.tgrelid = c.oid AND NOT t.tgisinternal ORDER BY 1) AS triggers,
       ARRAY(SELECT quote_ident(r.rulename) FROM pg_rewrite r
             WHERE r.ev_class = c.oid ORDER BY 1) AS rules,
       ARRAY(SELECT quote_ident(p.pubname) FROM pg_publication_rel pr
             JOIN pg_publication p ON p.oid = pr.prpubid WHERE pr.prrelid = c.oid ORDER BY 1)
         AS publications,
       c.relkind = 'p' AS partitioned,
       c.relispartition AS partition,
       ARRAY(SELECT i.inhparent::regclass::text FROM pg_inherits i
             WHERE i.inhrelid = c.oid AND NOT c.relispartition
             UNION SELECT i.inhrelid::regclass::text FROM pg_inherits i
             WHERE i.inhparent = c.oid AND c.relkind <> 'p' ORDER BY 1) AS inheritance,
       ARRAY(SELECT DISTINCT r.ev_class::regclass::text FROM pg_depend d
             JOIN pg_rewrite r ON r.oid = d.objid
             WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass
               AND d.refobjid = c.oid AND r.ev_class <> c.oid ORDER BY 1) AS views,
       ARRAY(SELECT quote_ident(k.conname) || ' (' ||
               CASE WHEN k.conrelid = c.oid THEN 'to ' || k.confrelid::regclass::text
                    ELSE 'from ' || k.conrelid::regclass::text END || ')'
             FROM pg_constraint k
             WHERE k.contype = 'f' AND (k.conrelid = c.oid OR k.confrelid = c.oid) ORDER BY 1)
         AS "foreignKeys"
     FROM pg_class c WHERE c.oid = $1::regclass`,
    [target],
  )
  const row = result.rows[0] ?? {}
  const names = (key: string): string[] => {
    const value = row[key]
    return Array.isArray(value) ? value : []
  }
  const blockers: string[] = []
  const listed = (what: string, key: string): void => {
    const found = names(key)
    if (found.length > 0) {
      blockers.push(`${what} ${found.join(', ')}`)
    }
  }
  if (row.rowSecurity === true || names('policies').length > 0) {
    const policies = names('policies')
    blockers.push(
      policies.length > 0
        ? `row-level security (policies ${policies.join(', ')})`
        : 'row-level security',
    )
  }
  listed('triggers', 'triggers')
  listed('rules', 'rules')
  listed('publication membership', 'publications')
  if (row.partitioned === true) {
    blockers.push('its partitions (it is a partitioned table)')
  }
  if (row.partition === true) {
    blockers.push('its place as a partition of another table')
  }
  listed('inheritance with', 'inheritance')
  listed('views that depend on it:', 'views')
  listed('foreign keys', 'foreignKeys')
  return blockers
}
