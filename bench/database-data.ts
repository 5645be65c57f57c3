import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { writeOrdersCsv } from '../src-main/service/sample-project/sample-data'
import { benchDataDir, warmFiles } from './data'

/** The benchmark's seed, the same as the dirty datasets' (`data.ts`). */
const seed = 20_240_601

/**
 * The orders the database case pushes and reads: the sample generator's clean rows (exactly
 * `rows` lines, unique `order_id`). The dirty dataset of the other cases cannot serve: its ragged
 * lines stop `psql \copy` and its duplicate orders break the upsert's unique key.
 */
export interface CleanOrders {
  rows: number
  csv: string
}

/** The columns of the orders CSV, in file order, with their DuckDB types. */
export const orderColumns = [
  ['order_id', 'BIGINT'],
  ['order_date', 'DATE'],
  ['customer_email', 'VARCHAR'],
  ['customer_name', 'VARCHAR'],
  ['phone', 'VARCHAR'],
  ['city', 'VARCHAR'],
  ['product_sku', 'VARCHAR'],
  ['order_type', 'VARCHAR'],
  ['quantity', 'INTEGER'],
  ['amount', 'DECIMAL(12,2)'],
  ['status', 'VARCHAR'],
] as const

/** Generates `bench/data/clean-orders-<n>m/orders.csv` once; later calls return at once. */
export async function ensureCleanOrders(
  rows: number,
  log: (line: string) => void,
): Promise<CleanOrders> {
  const dir = join(benchDataDir, `clean-orders-${rows / 1_000_000}m`)
  const csv = join(dir, 'orders.csv')
  if (!existsSync(csv)) {
    const partial = `${dir}.partial`
    rmSync(partial, { recursive: true, force: true })
    mkdirSync(partial, { recursive: true })
    const started = performance.now()
    log(`generating ${rows.toLocaleString('en')} clean orders …`)
    const options = { orders: rows, customers: Math.round(rows / 10), seed, dirty: false }
    await writeOrdersCsv(join(partial, 'orders.csv'), options)
    rmSync(dir, { recursive: true, force: true })
    renameSync(partial, dir)
    log(`generated them in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  }
  await warmFiles([csv])
  return { rows, csv }
}

/**
 * Stages the CSV into table `orders` of a new DuckDB file, as a CSV source node would have left
 * it before a push: what Sluice's side pushes from. The types are given, so `phone` stays text.
 */
export async function stageCleanOrders(orders: CleanOrders, database: string): Promise<void> {
  const instance = await DuckDBInstance.create(database)
  const connection = await instance.connect()
  try {
    const columns = orderColumns.map(([name, type]) => `'${name}': '${type}'`).join(', ')
    await connection.run(
      `CREATE TABLE orders AS SELECT * FROM read_csv('${orders.csv.replaceAll("'", "''")}', header = true, columns = {${columns}})`,
    )
    const count = await connection.runAndReadAll('SELECT count(*) FROM orders')
    const staged = Number(count.getRows()[0]?.[0])
    if (staged !== orders.rows) {
      throw new Error(`staged ${staged} orders from ${orders.csv}, expected ${orders.rows}`)
    }
    await connection.run('CHECKPOINT')
  } finally {
    connection.closeSync()
    instance.closeSync()
  }
}
