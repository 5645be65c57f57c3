import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ServerInfo } from '../scripts/test-servers'
import { orderColumns } from './database-data'
import { repoRoot, type ChildCommand } from './measure'

/** The two servers of case (i), named as Sluice's connection kinds name them. */
export type DatabaseKind = 'postgres' | 'mysql'

/** The table both sides write into, dropped and created again before every measured side. */
export const targetTable = 'bench_orders'

/** The orders loaded once per case by the server's own client: what reads read, what upserts pre-fill from. */
export const sourceTable = 'bench_orders_source'

const postgresTypes: Record<string, string> = {
  BIGINT: 'bigint',
  DATE: 'date',
  VARCHAR: 'text',
  INTEGER: 'integer',
  'DECIMAL(12,2)': 'numeric(12,2)',
}

const mariadbTypes: Record<string, string> = {
  BIGINT: 'BIGINT',
  DATE: 'DATE',
  VARCHAR: 'VARCHAR(255)',
  INTEGER: 'INT',
  'DECIMAL(12,2)': 'DECIMAL(12,2)',
}

const columnNames = orderColumns.map(([name]) => name)

/**
 * psql's connection string. `sslmode=disable`: the test server also offers TLS, and psql would
 * take it by default while the driver is given plain TCP; both sides must pay the same.
 */
export function postgresUri(server: ServerInfo): string {
  const user = encodeURIComponent(server.user)
  const password = encodeURIComponent(server.password)
  const database = encodeURIComponent(server.database)
  return `postgresql://${user}:${password}@${server.host}:${server.port}/${database}?sslmode=disable`
}

function mariadbArgs(server: ServerInfo): string[] {
  return [
    '--no-defaults',
    `--host=${server.host}`,
    `--port=${server.port}`,
    `--user=${server.user}`,
    `--password=${server.password}`,
    '--local-infile=1',
    server.database,
  ]
}

/**
 * Runs statements one by one through the server's own client (not timed: set-up and checks) and
 * returns the output, one line per row, tab-separated (MariaDB) or `|`-separated (psql).
 */
export function runSql(kind: DatabaseKind, server: ServerInfo, statements: string[]): string {
  const args =
    kind === 'postgres'
      ? ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', postgresUri(server)].concat(
          statements.flatMap((sql) => ['-c', sql]),
        )
      : [...mariadbArgs(server), '-N', '-B', '-e', statements.join(';\n')]
  try {
    return execFileSync(kind === 'postgres' ? 'psql' : 'mariadb', args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 1 << 26,
    }).trim()
  } catch (thrown) {
    const stderr = String((thrown as { stderr?: unknown }).stderr ?? thrown)
    throw new Error(`${kind} client failed on ${statements.join('; ').slice(0, 300)}:\n${stderr}`)
  }
}

/**
 * The orders table, typed the way a person would create it by hand. `withKey`: `order_id` is the
 * primary key (upserts need one). PostgreSQL's autovacuum is off on it, so a vacuum of the rows
 * one side just loaded never runs while the other side is measured.
 */
export function createOrdersTable(kind: DatabaseKind, table: string, withKey: boolean): string[] {
  const types = kind === 'postgres' ? postgresTypes : mariadbTypes
  const columns = orderColumns.map(([name, type]) => {
    const sqlType = types[type] ?? 'text'
    return name === 'order_id' ? `${name} ${sqlType} NOT NULL` : `${name} ${sqlType}`
  })
  if (withKey) {
    columns.push('PRIMARY KEY (order_id)')
  }
  const options =
    kind === 'postgres'
      ? 'WITH (autovacuum_enabled = off)'
      : 'ENGINE = InnoDB DEFAULT CHARSET = utf8mb4'
  return [
    `DROP TABLE IF EXISTS ${table}`,
    `CREATE TABLE ${table} (${columns.join(', ')}) ${options}`,
  ]
}

/**
 * Half the orders (even ids) already in `table`, with a different amount and status, so an
 * upsert of all of them updates half and inserts half.
 */
export function prefillHalf(kind: DatabaseKind, table: string): string[] {
  const values = columnNames.map((name) =>
    name === 'amount' ? 'amount + 1' : name === 'status' ? `'stale'` : name,
  )
  const insert = `INSERT INTO ${table} SELECT ${values.join(', ')} FROM ${sourceTable} WHERE order_id % 2 = 0`
  return kind === 'postgres' ? [insert, `ANALYZE ${table}`] : [insert, `ANALYZE TABLE ${table}`]
}

/**
 * Flushes what the last step left dirty, so the side measured next does not pay for it:
 * PostgreSQL's CHECKPOINT (fsync is off on the test server, so it writes to the page cache).
 */
export function settle(kind: DatabaseKind, server: ServerInfo): void {
  if (kind === 'postgres') {
    runSql(kind, server, ['CHECKPOINT'])
  }
}

/** Row count, distinct keys and a hash of every row's text: equal on both sides when the rows are. */
export function tableFingerprint(kind: DatabaseKind, server: ServerInfo, table: string): string {
  const sql =
    kind === 'postgres'
      ? `SELECT count(*) || ' rows, ' || count(DISTINCT order_id) || ' keys, hash ' || coalesce(sum(hashtext(t::text)::bigint), 0) FROM ${table} t`
      : `SELECT CONCAT(COUNT(*), ' rows, ', COUNT(DISTINCT order_id), ' keys, hash ', COALESCE(SUM(CRC32(CONCAT_WS('|', ${columnNames.join(', ')}))), 0)) FROM ${table}`
  return runSql(kind, server, [sql])
}

/** The source table's rows, keys and total amount, as the driver task reports what it read. */
export function readCheck(kind: DatabaseKind, server: ServerInfo): string {
  const sql =
    kind === 'postgres'
      ? `SELECT count(*) || ' rows, ' || count(DISTINCT order_id) || ' keys, amount ' || sum(amount) FROM ${sourceTable}`
      : `SELECT CONCAT(COUNT(*), ' rows, ', COUNT(DISTINCT order_id), ' keys, amount ', SUM(amount)) FROM ${sourceTable}`
  return runSql(kind, server, [sql])
}

/** Loads the CSV into `table` with the server's own bulk loader (set-up; not timed). */
export function loadWithClient(
  kind: DatabaseKind,
  server: ServerInfo,
  table: string,
  csv: string,
): void {
  runSql(kind, server, [kind === 'postgres' ? copyFrom(table, csv) : loadDataLocal(table, csv)])
}

function quoted(path: string): string {
  return `'${path.replaceAll("'", "''")}'`
}

function copyFrom(table: string, csv: string): string {
  return `\\copy ${table} FROM ${quoted(csv)} CSV HEADER`
}

function loadDataLocal(table: string, csv: string): string {
  return `LOAD DATA LOCAL INFILE ${quoted(csv)} INTO TABLE ${table} CHARACTER SET utf8mb4 FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '"' LINES TERMINATED BY '\\n' IGNORE 1 LINES`
}

const timedCommand = join(repoRoot, 'bench', 'tasks', 'timed-command.sh')

function psqlCommand(server: ServerInfo, args: string[]): ChildCommand {
  return {
    program: timedCommand,
    args: ['psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', postgresUri(server), ...args],
  }
}

/** The reference append: `psql -c "\copy t FROM 'orders.csv' CSV HEADER"`. */
export function psqlCopyIn(server: ServerInfo, csv: string): ChildCommand {
  return psqlCommand(server, ['-c', copyFrom(targetTable, csv)])
}

/**
 * The reference upsert, as one psql script in one transaction: COPY into a temporary table, then
 * MERGE it into the target on `order_id` (what a person would write by hand on PostgreSQL 15).
 */
export function psqlCopyAndMerge(server: ServerInfo, csv: string, folder: string): ChildCommand {
  const updates = columnNames
    .filter((name) => name !== 'order_id')
    .map((name) => `${name} = s.${name}`)
  const script = [
    'BEGIN;',
    `CREATE TEMP TABLE merge_stage (LIKE ${targetTable}) ON COMMIT DROP;`,
    copyFrom('merge_stage', csv),
    `MERGE INTO ${targetTable} AS t USING merge_stage AS s ON t.order_id = s.order_id`,
    `WHEN MATCHED THEN UPDATE SET ${updates.join(', ')}`,
    `WHEN NOT MATCHED THEN INSERT (${columnNames.join(', ')}) VALUES (${columnNames.map((name) => `s.${name}`).join(', ')});`,
    'COMMIT;',
    '',
  ].join('\n')
  const file = join(folder, 'copy-and-merge.sql')
  writeFileSync(file, script)
  return psqlCommand(server, ['-f', file])
}

/** The reference read: `psql -c "\copy (SELECT …) TO 'x.csv' CSV"`. */
export function psqlCopyOut(server: ServerInfo, output: string): ChildCommand {
  const columns = columnNames.join(', ')
  return psqlCommand(server, [
    '-c',
    `\\copy (SELECT ${columns} FROM ${sourceTable}) TO ${quoted(output)} CSV`,
  ])
}

/** The reference MariaDB append: `mariadb --local-infile=1 -e "LOAD DATA LOCAL INFILE …"`. */
export function mariadbLoadData(server: ServerInfo, csv: string): ChildCommand {
  return {
    program: timedCommand,
    args: ['mariadb', ...mariadbArgs(server), '-e', loadDataLocal(targetTable, csv)],
  }
}

/**
 * The reference MariaDB read: the client's batch output (`-e "SELECT …" > file`), tab-separated.
 * `--quick` streams rows to the file as they come instead of holding the whole result first,
 * as Sluice's read does.
 */
export function mariadbSelectToFile(server: ServerInfo, output: string): ChildCommand {
  return {
    program: timedCommand,
    args: [
      '--stdout',
      output,
      'mariadb',
      ...mariadbArgs(server),
      '--quick',
      '-N',
      '-B',
      '-e',
      `SELECT ${columnNames.join(', ')} FROM ${sourceTable}`,
    ],
  }
}
