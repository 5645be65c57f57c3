import type { DuckDBConnection } from '@duckdb/node-api'
import { outputTableName, quoteIdent, quoteLiteral } from '../duckdb/quote'
import { queryRows } from '../duckdb/query'

/**
 * The record of which node outputs are materialised in the staging database and under which
 * fingerprint. A node whose fingerprint matches its record is reused instead of run again.
 */
const registryTable = '_sluice_outputs'

export interface StoredOutput {
  port: string
  relation: string
  rows: number
}

/** Where a pipeline's node outputs live: one DuckDB schema per pipeline, so ids never collide. */
export class OutputRegistry {
  constructor(readonly schema: string) {}

  /** The quoted, schema-qualified table that holds a node's port. */
  relation(nodeId: string, port: string): string {
    return `${quoteIdent(this.schema)}.${quoteIdent(outputTableName(nodeId, port))}`
  }

  async prepare(connection: DuckDBConnection): Promise<void> {
    await connection.run(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(this.schema)}`)
    await connection.run(
      `CREATE TABLE IF NOT EXISTS ${registryTable} (schema_name VARCHAR, node_id VARCHAR, port VARCHAR,
        fingerprint VARCHAR, row_count BIGINT, stored_at TIMESTAMP DEFAULT current_timestamp)`,
    )
  }

  /** The stored outputs of a node if every port is stored under `fingerprint` and still exists. */
  async lookup(
    connection: DuckDBConnection,
    nodeId: string,
    fingerprint: string,
    ports: readonly string[],
  ): Promise<StoredOutput[] | null> {
    const rows = await queryRows(
      connection,
      `SELECT r.port, r.row_count FROM ${registryTable} r
       JOIN duckdb_tables() t ON t.schema_name = r.schema_name
        AND t.table_name = r.node_id || '__' || r.port AND t.database_name = current_database()
       WHERE r.schema_name = ${quoteLiteral(this.schema)} AND r.node_id = ${quoteLiteral(nodeId)}
        AND r.fingerprint = ${quoteLiteral(fingerprint)}`,
    )
    const byPort = new Map(rows.map((row) => [String(row.port), Number(row.row_count)]))
    if (ports.length === 0 || !ports.every((port) => byPort.has(port))) {
      return null
    }
    return ports.map((port) => ({
      port,
      relation: this.relation(nodeId, port),
      rows: byPort.get(port) ?? 0,
    }))
  }

  /** Forgets a node's outputs before it runs, so a crash mid-run can never leave a stale match. */
  async forget(connection: DuckDBConnection, nodeId: string): Promise<void> {
    await connection.run(
      `DELETE FROM ${registryTable} WHERE schema_name = ${quoteLiteral(this.schema)} AND node_id = ${quoteLiteral(nodeId)}`,
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
    const values = outputs.map(
      (output) =>
        `(${quoteLiteral(this.schema)}, ${quoteLiteral(nodeId)}, ${quoteLiteral(output.port)}, ${quoteLiteral(fingerprint)}, ${output.rows})`,
    )
    await connection.run(
      `INSERT INTO ${registryTable} (schema_name, node_id, port, fingerprint, row_count) VALUES ${values.join(', ')}`,
    )
  }
}
