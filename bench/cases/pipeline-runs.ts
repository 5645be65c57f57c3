import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { datasetName, ensureDataset, warmCache, freshFolder, type OrdersDataset } from '../data'
import { measureChild, medianRun, repoRoot, taskCommand, type Measurement } from '../measure'
import { compareOutputs, type OutputComparison } from '../verify'
import { samplePipeline } from '../pipelines'
import { pipelineRepsFor, type BenchContext } from './context'

/** Where a Sluice run of the sample pipeline left its staging, for previews and comparisons. */
export interface SluiceRunPlace {
  parameters: { data: string; output: string }
  staging: string
  workDir: string
}

/** The sample pipeline measured through Sluice and as one hand-written DuckDB script. */
export interface PipelineRuns {
  dataset: OrdersDataset
  sluice: Measurement
  duckdb: Measurement
  /** The last Sluice run, left in place. */
  place: SluiceRunPlace
  /** Every repetition, for the spread. */
  all: { sluice: Measurement[]; duckdb: Measurement[] }
  /** How the two sides' CSV outputs compare. */
  outputs: OutputComparison
}

const measured = new Map<number, Promise<PipelineRuns>>()

/**
 * Runs both sides once per repetition, alternating, the first time a size is asked for; cases
 * (b) and (c) share the 1M runs, (d) and (e) the 10M ones.
 */
export function samplePipelineRuns(rows: number, context: BenchContext): Promise<PipelineRuns> {
  const known = measured.get(rows)
  if (known) {
    return known
  }
  const runs = measurePipeline(rows, context)
  measured.set(rows, runs)
  return runs
}

async function measurePipeline(rows: number, context: BenchContext): Promise<PipelineRuns> {
  const dataset = await ensureDataset(rows, context.log)
  await warmCache(dataset)
  const folder = `pipeline-${datasetName(rows)}`
  const sluiceRuns: Measurement[] = []
  const duckdbRuns: Measurement[] = []
  let place: SluiceRunPlace | undefined
  let referenceOutput = ''
  for (let rep = 0; rep < pipelineRepsFor(rows, context); rep += 1) {
    context.log(`  ${folder}: run ${rep + 1} …`)
    const sluiceDir = freshFolder(folder, 'sluice')
    const staging = join(sluiceDir, 'staging.duckdb')
    place = {
      parameters: { data: dataset.dir, output: join(sluiceDir, 'output') },
      staging,
      workDir: `${staging}.work`,
    }
    mkdirSync(place.parameters.output)
    sluiceRuns.push(
      await measureChild(taskCommand('sluice-run', { pipeline: samplePipeline, ...place })),
    )

    const duckdbDir = freshFolder(folder, 'duckdb')
    referenceOutput = join(duckdbDir, 'output')
    mkdirSync(referenceOutput)
    const customers = join(duckdbDir, 'customers.utf8.csv')
    duckdbRuns.push(
      await measureChild(
        taskCommand('duckdb-script', {
          script: join(repoRoot, 'bench', 'sample-pipeline.sql'),
          database: join(duckdbDir, 'reference.duckdb'),
          variables: { data: dataset.dir, output: referenceOutput, customers },
          transcode: [{ from: dataset.customers, to: customers, encoding: 'gbk' }],
        }),
      ),
    )
  }
  if (!place) {
    throw new Error('no repetitions were run')
  }
  const outputs = await compareOutputs(referenceOutput, place.parameters.output, 'bytes')
  return {
    dataset,
    sluice: medianRun(sluiceRuns),
    duckdb: medianRun(duckdbRuns),
    place,
    all: { sluice: sluiceRuns, duckdb: duckdbRuns },
    outputs,
  }
}
