import { join } from 'node:path'
import { datasetName, ensureDataset, freshFolder, warmCache } from '../data'
import { measureChild, medianRun, repoRoot, taskCommand, type Measurement } from '../measure'
import { comparedRow, spreadLine, type CaseOutcome } from '../report'
import { describeTable } from '../verify'
import { writeSampleSubset } from '../pipelines'
import { sizeLabel, type BenchContext } from './context'

/**
 * Case (a): the CSV source node staging the orders file into a fresh file-backed staging
 * database, against DuckDB's own read_csv into a fresh file-backed database.
 */
export async function csvStagingCase(rows: number, context: BenchContext): Promise<CaseOutcome> {
  const dataset = await ensureDataset(rows, context.log)
  await warmCache(dataset)
  const folder = `stage-${datasetName(rows)}`
  const pipeline = writeSampleSubset(
    join(freshFolder(folder), 'pipeline.json'),
    'Stage orders (bench)',
    (node) => node.id === 'raw_orders',
  )
  const sluiceRuns: Measurement[] = []
  const duckdbRuns: Measurement[] = []
  let staged = { sluice: '', duckdb: '' }
  // Staging 10M rows takes ~15 s a side, and one run varies by ±20% on a quiet 2-core VM, so
  // both sizes take the median of --reps runs: the ratio target is tight.
  for (let rep = 0; rep < context.reps; rep += 1) {
    const sluiceDir = freshFolder(folder, 'sluice')
    const staging = join(sluiceDir, 'staging.duckdb')
    sluiceRuns.push(
      await measureChild(
        taskCommand('sluice-run', {
          pipeline,
          parameters: { data: dataset.dir, output: join(sluiceDir, 'output') },
          staging,
          workDir: `${staging}.work`,
        }),
      ),
    )
    const database = join(freshFolder(folder, 'duckdb'), 'reference.duckdb')
    duckdbRuns.push(
      await measureChild(
        taskCommand('duckdb-script', {
          script: join(repoRoot, 'bench', 'stage-orders.sql'),
          database,
          variables: { orders: dataset.orders },
        }),
      ),
    )
    staged = { sluice: staging, duckdb: database }
  }

  const sluiceTable = await describeTable(staged.sluice, 'raw_orders__out')
  const duckdbTable = await describeTable(staged.duckdb, 'raw_orders')
  const details = [
    sluiceTable === duckdbTable
      ? `  both staged ${sluiceTable}`
      : `  MISMATCH: Sluice staged ${sluiceTable}; DuckDB staged ${duckdbTable}`,
    spreadLine([
      ['sluice', sluiceRuns],
      ['duckdb', duckdbRuns],
    ]),
  ]
  const row = comparedRow(
    `(a) csv staging ${sizeLabel(rows)}`,
    medianRun(sluiceRuns),
    { name: 'duckdb', run: medianRun(duckdbRuns) },
    'ratio',
    'ratio ≤ 1.1',
    (ratio) => ratio <= 1.1 && sluiceTable === duckdbTable,
  )
  return { rows: [row], details }
}
