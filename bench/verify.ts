import { createHash } from 'node:crypto'
import { createReadStream, existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import Papa from 'papaparse'

/** A table's row count and column types, to check two sides staged the same thing. */
export async function describeTable(database: string, table: string): Promise<string> {
  const instance = await DuckDBInstance.create(database, { access_mode: 'READ_ONLY' })
  const connection = await instance.connect()
  try {
    const count = await connection.runAndReadAll(`SELECT count(*) FROM "${table}"`)
    const columns = await connection.runAndReadAll(`DESCRIBE "${table}"`)
    const types = columns.getRows().map((row) => `${String(row[0])} ${String(row[1])}`)
    return `${String(count.getRows()[0]?.[0])} rows (${types.join(', ')})`
  } finally {
    connection.closeSync()
    instance.closeSync()
  }
}

async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 22 })) {
    hash.update(chunk as Buffer)
  }
  return hash.digest('hex')
}

/** Newline characters in a file: its line count when the last line ends with one. */
export async function countLines(path: string): Promise<number> {
  let lines = 0
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 22 })) {
    for (
      let at = (chunk as Buffer).indexOf(10);
      at !== -1;
      at = (chunk as Buffer).indexOf(10, at + 1)
    ) {
      lines += 1
    }
  }
  return lines
}

const rejectsFile = 'rejected_order_lines.csv'

/** The CSV files every side of the pipeline cases writes. */
export const pipelineCsvOutputs = [
  'cleaned_orders.csv',
  rejectsFile,
  'new_customers.csv',
  'sales_leads.csv',
]

/** The rejects file, with each reason's `; `-separated parts sorted. */
function normalisedRejects(path: string): string {
  const parsed = Papa.parse<string[]>(readFileSync(path, 'utf8'), { skipEmptyLines: true })
  const rows = parsed.data.map(([file, line, reason = '', ...rest]) => [
    file,
    line,
    reason.split('; ').sort().join('; '),
    ...rest,
  ])
  return JSON.stringify(rows)
}

/** What differs between two sides' outputs, and differences that are known and harmless. */
export interface OutputComparison {
  problems: string[]
  notes: string[]
}

/**
 * Compares the CSV outputs of two folders: byte for byte, or (for pandas, which formats numbers
 * its own way) by line count. Rejected lines are compared with each reason's parts sorted: the
 * CSV source joins DuckDB's messages for a line with `string_agg(DISTINCT …)`, whose order is
 * not fixed, so the same reason can be spelt in a different order from run to run.
 */
export async function compareOutputs(
  expected: string,
  actual: string,
  by: 'bytes' | 'lines',
): Promise<OutputComparison> {
  const result: OutputComparison = { problems: [], notes: [] }
  for (const name of pipelineCsvOutputs) {
    const [left, right] = [join(expected, name), join(actual, name)]
    if (!existsSync(right)) {
      result.problems.push(`${name} missing in ${actual}`)
      continue
    }
    const measure = by === 'bytes' ? hashFile : countLines
    const [a, b] = await Promise.all([measure(left), measure(right)])
    if (a === b) {
      continue
    }
    if (
      by === 'bytes' &&
      name === rejectsFile &&
      normalisedRejects(left) === normalisedRejects(right)
    ) {
      result.notes.push(`${name}: same lines; reasons list their parts in a different order`)
      continue
    }
    result.problems.push(`${name} differs (${by}: ${a} vs ${b})`)
  }
  return result
}
