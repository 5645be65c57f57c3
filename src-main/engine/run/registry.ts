import type { DuckDBConnection } from '@duckdb/node-api'
import { outputTableName, quoteIdent, quoteLiteral } from '../duckdb/quote'
import { queryRows } from '../duckdb/query'

/**
 * The record of which node outputs are stored in the staging file and under which fingerprint. A
 * node whose fingerprint matches its record, and whose table still exists, is reused instead of
 * run again.
 */
const registryTable = '_sluice_results'

export interface StoredOutput {
  port: string
  relation: string
  rows: number
}

/** Where a pipeline's node outputs live: one DuckDB schema per pipeline, so ids never collide. */
export class OutputRegistry {
  private fileDatabase = ''

  constructor(readonly schema: string) {}

  /** The quoted, fully qualified table (or view) that holds a node's port. */
  relation(nodeId: string, port: string): string {
    const table = `${quoteIdent(this.schema)}.${quoteIdent(outputTableName(nodeId, port))}`
    return `${quoteIdent(this.fileDatabase)}.${table}`
  }

  async prepare(connection: DuckDBConnection): Promise<void> {
    const [current] = await queryRows(connection, 'SELECT current_database() AS name')
    this.fileDatabase = String(current?.name)
    await connection.run(
      `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(this.fileDatabase)}.${quoteIdent(this.schema)}`,
    )
    await connection.run(
      `CREATE TABLE IF NOT EXISTS ${quoteIdent(this.fileDatabase)}.main.${registryTable} (
        database_name VARCHAR, schema_name VARCHAR, node_id VARCHAR, port VARCHAR,
        fingerprint VARCHAR, row_count BIGINT, stored_at TIMESTAMP DEFAULT current_timestamp)`,
    )
  }

  /**
   * The stored outputs of a node if every port is stored under `fingerprint` and still exists.
   * A node inlined as a view may reuse its view (or a table); any other node needs a table, so a
   * node that gained readers since it was a view is computed once instead of once per reader.
   */
  async lookup(
    connection: DuckDBConnection,
    nodeId: string,
    fingerprint: string,
    ports: readonly string[],
    acceptView = false,
  ): Promise<StoredOutput[] | null> {
    const relations = acceptView
      ? `(SELECT database_name, schema_name, table_name FROM duckdb_tables()
          UNION ALL SELECT database_name, schema_name, view_name FROM duckdb_views())`
      : 'duckdb_tables()'
    const rows = await queryRows(
      connection,
      `SELECT r.port, r.row_count, r.database_name FROM ${this.registry()} r
       JOIN ${relations} t ON t.database_name = r.database_name
        AND t.schema_name = r.schema_name AND t.table_name = r.node_id || '__' || r.port
       WHERE r.schema_name = ${quoteLiteral(this.schema)} AND r.node_id = ${quoteLiteral(nodeId)}
        AND r.fingerprint = ${quoteLiteral(fingerprint)}`,
    )
    const byPort = new Map(rows.map((row) => [String(row.port), row]))
    if (ports.length === 0 || !ports.every((port) => byPort.has(port))) {
      return null
    }
    return ports.map((port) => ({
      port,
      relation: this.relation(nodeId, port),
      rows: Number(byPort.get(port)?.row_count),
    }))
  }

  /** Forgets a node's outputs before it runs, so a crash mid-run can never leave a stale match. */
  async forget(connection: DuckDBConnection, nodeId: string): Promise<void> {
    await connection.run(
      `DELETE FROM ${this.registry()} WHERE schema_name = ${quoteLiteral(this.schema)} AND node_id = ${quoteLiteral(nodeId)}`,
    )
  }

  async remember(
    connection: DuckDBConnection,
    nodeId: string,
    fingerprint: string,
    outputs: readonly StoredOutput[],
  ): Promise<void> {
    if (outputs.length === 0) {
      return
    }
    const values = outputs.map((output) =>
      [this.fileDatabase, this.schema, nodeId, output.port, fingerprint]
        .map(quoteLiteral)
        .concat(String(output.rows))
        .join(', '),
    )
    await connection.run(
      `INSERT INTO ${this.registry()} (database_name, schema_name, node_id, port, fingerprint, row_count)
       VALUES ${values.map((row) => `(${row})`).join(', ')}`,
    )
  }

  private registry(): string {
    return `${quoteIdent(this.fileDatabase)}.main.${registryTable}`
  }
}
