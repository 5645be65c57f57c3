import { quoteIdentifier } from '../database/identifiers'
import type { ColumnMapping } from './write-target'

/** A staging table's shape: the target's own column types, so staged values compare exactly. */
export interface StagingPlan {
  columns: Array<{ name: string; definition: string }>
  keys: string[]
  /** Key columns of TEXT or BLOB types, which an index can only cover by a prefix. */
  prefixed: Set<string>
}

/** Plans the staging table for an upsert or mirror from the mapped target columns. */
export function planStaging(mappings: ColumnMapping[], keys: string[]): StagingPlan {
  const prefixed = new Set<string>()
  const columns = mappings.map(({ target }) => {
    if (/text|blob/.test(target.type.base)) {
      prefixed.add(target.name)
    }
    const charset = target.charset ? ` ${target.charset}` : ''
    // Every staged column is nullable: the target's own constraints apply when rows merge.
    return {
      name: target.name,
      definition: `${quoteIdentifier('mysql', target.name)} ${target.columnType}${charset} NULL`,
    }
  })
  return { columns, keys, prefixed }
}

/**
 * `CREATE TABLE` for the staging table; `indexKeys` adds an index on the keys so a mirror's
 * "target rows not in the input" is a lookup per row rather than a scan.
 */
export function stagingTableDdl(stage: string, plan: StagingPlan, indexKeys: boolean): string {
  const keyList = plan.keys
    .map((key) => `${quoteIdentifier('mysql', key)}${plan.prefixed.has(key) ? '(255)' : ''}`)
    .join(', ')
  const definitions = [
    ...plan.columns.map((column) => column.definition),
    ...(indexKeys ? [`INDEX (${keyList})`] : []),
  ]
  // Temporary: private to the push's session, never left behind by a crash, and creating it
  // does not commit (unlike other DDL), so it can be made inside the push's transaction.
  return `CREATE TEMPORARY TABLE ${stage} (${definitions.join(', ')}) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`
}
