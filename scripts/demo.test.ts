import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import iconv from 'iconv-lite'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { DuckDBInstance } from '@duckdb/node-api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../src-main/hosts/cli/main'
import { createSampleProject } from '../src-main/service/sample-project/create-sample-project'

let dir: string
let code: number
let secondRun: { code: number; output: string }
let query: (sql: string) => Promise<unknown[][]>
let close: () => void

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-sample-'))
  // As `npm run demo` does, on a smaller shop: the sample project, run from it by the CLI.
  const project = await createSampleProject(dir, {
    orders: 3000,
    customers: 900,
    seed: 7,
    dirty: true,
  })
  const name = 'Orders to customers and sales leads'
  const run = async (): Promise<{ code: number; output: string }> => {
    const sink = new PassThrough()
    const chunks: string[] = []
    sink.on('data', (chunk: Buffer) => chunks.push(chunk.toString()))
    const exit = await runCli(['run', project, name], { stdout: sink, stderr: sink })
    return { code: exit, output: chunks.join('') }
  }
  code = (await run()).code
  secondRun = await run()
  const instance = await DuckDBInstance.create(':memory:')
  const connection = await instance.connect()
  query = async (sql) => (await connection.runAndReadAll(sql)).getRows()
  close = () => instance.closeSync()
})
afterAll(() => {
  close()
  rmSync(dir, { recursive: true, force: true })
})

describe('the sample orders project', () => {
  it('runs successfully', () => {
    expect(code).toBe(0)
  })

  it('reuses every unchanged node on a second run, and says so', () => {
    expect(secondRun.code).toBe(0)
    const reused = secondRun.output.split('\n').filter((line) => / reused /.test(line))
    expect(reused.length).toBeGreaterThan(5)
    expect(secondRun.output).toMatch(/Reused \d+ of \d+ nodes: unchanged since their last run\./)
  })

  it('writes each unreadable order line to the rejects file', async () => {
    const broken = readFileSync(join(dir, 'input', 'orders.csv'), 'utf8')
      .split('\n')
      .filter((line) => line.includes('broken line'))
    expect(broken.length).toBeGreaterThan(0)
    const rejects = await query(
      `SELECT content FROM read_csv('${dir}/results/rejected_order_lines.csv')`,
    )
    expect(rejects.map((row) => row[0])).toEqual(broken)
  })

  it('cleans orders: one row per order id, no blank emails or bad dates, trimmed lower-case emails', async () => {
    const [[rows, ids, blank, untrimmed]] = (await query(
      `SELECT count(*), count(DISTINCT order_id), count(*) FILTER (WHERE customer_email IS NULL),
              count(*) FILTER (WHERE customer_email <> lower(trim(customer_email)))
       FROM read_csv('${dir}/results/cleaned_orders.csv', types = {'order_date': 'DATE'})`,
    )) as [[bigint, bigint, bigint, bigint]]
    expect(rows).toBe(ids)
    expect(blank).toBe(0n)
    expect(untrimmed).toBe(0n)
    // Independently: raw lines whose email is not blank and whose date parses, one per order id.
    const [[expected]] = (await query(
      `SELECT count(DISTINCT order_id) FROM read_csv('${dir}/input/orders.csv', all_varchar = true, ignore_errors = true)
       WHERE trim(coalesce(customer_email, '')) <> '' AND try_strptime(order_date, '%Y-%m-%d') IS NOT NULL`,
    )) as [[bigint]]
    expect(rows).toBe(expected)
  })

  it('finds new customers only among emails the GBK customer file does not have', async () => {
    const customers = iconv.decode(readFileSync(join(dir, 'input', 'customers.csv')), 'gbk')
    writeFileSync(join(dir, 'customers-utf8.csv'), customers)
    const [[overlap, total]] = (await query(
      `SELECT count(*) FILTER (WHERE lower(c.email) IS NOT NULL), count(*)
       FROM read_csv('${dir}/results/new_customers.csv') n
       LEFT JOIN (SELECT lower(email) AS email FROM read_csv('${dir}/customers-utf8.csv')) c
         ON c.email = n.email`,
    )) as [[bigint, bigint]]
    expect(total).toBeGreaterThan(0n)
    expect(overlap).toBe(0n)
  })

  it('reuses a lead exactly when the customer has an OPEN or COLD one', async () => {
    const mismatches = await query(
      `SELECT s.customer_email, s.lead_strategy
       FROM read_csv('${dir}/results/sales_leads.csv') s
       LEFT JOIN (SELECT DISTINCT customer_email FROM read_csv('${dir}/input/leads.csv') WHERE stage IN ('OPEN', 'COLD')) l
         USING (customer_email)
       WHERE (l.customer_email IS NULL) <> (s.lead_strategy = 'new')`,
    )
    expect(mismatches).toEqual([])
    const strategies = await query(
      `SELECT DISTINCT lead_strategy FROM read_csv('${dir}/results/sales_leads.csv') ORDER BY 1`,
    )
    expect(strategies).toEqual([['new'], ['reuse']])
  })
})
