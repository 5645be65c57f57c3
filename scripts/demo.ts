import { existsSync, mkdirSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { runCli } from '../src-main/hosts/cli/main'
import { writeCustomersCsv, writeLeadsCsv, writeOrdersCsv } from './sample-data/orders'

/**
 * `npm run demo`: writes the sample shop's dirty input files (once), runs the sample pipeline
 * through the `sluice` CLI on an embedded DuckDB, and says where the results are.
 */
const root = resolve(import.meta.dirname, '..')
const output = join(root, 'demo-output')
const input = join(output, 'input')
const pipeline = join(root, 'resources', 'samples', 'orders', 'pipeline.json')
export const demoData = { orders: 10_000, customers: 3_000, seed: 20_241_123, dirty: true }

if (!existsSync(join(input, 'orders.csv'))) {
  mkdirSync(input, { recursive: true })
  await writeOrdersCsv(join(input, 'orders.csv'), demoData)
  await writeCustomersCsv(join(input, 'customers.csv'), demoData)
  await writeLeadsCsv(join(input, 'leads.csv'), demoData)
  process.stdout.write(
    `Wrote sample inputs (${demoData.orders.toLocaleString('en')} orders, GBK customers file) to ${relative(root, input)}/\n`,
  )
}

process.stdout.write(`Running ${relative(root, pipeline)}\n\n`)
const io = { stdout: process.stdout, stderr: process.stderr }
const args = [
  '--param',
  `data=${input}`,
  '--param',
  `output=${output}`,
  '--staging',
  join(output, 'staging.duckdb'),
]
const code = await runCli(['run', pipeline, ...args], io)
if (code === 0) {
  process.stdout.write('\nFirst sales leads (sluice preview … sales_leads --rows 5):\n')
  await runCli(['preview', pipeline, 'sales_leads', '--rows', '5', ...args], io)
  process.stdout.write(`\nResults are in ${output}/\n`)
}
process.exitCode = code
