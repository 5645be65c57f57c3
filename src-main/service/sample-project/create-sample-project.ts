import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pipelineSchema } from '../../../src-shared/pipeline'
import { ProjectStore } from '../../store'
import { writeCustomersCsv, writeLeadsCsv, writeOrdersCsv } from './sample-data'

/** The sample pipeline shipped with Sluice. */
export const samplePipelinePath = resolve(
  import.meta.dirname,
  '../../../resources/samples/orders/pipeline.json',
)

/** The sample shop's size: small enough to run in a second, dirty enough to show the cleaning. */
export const sampleData = { orders: 10_000, customers: 3_000, seed: 20_241_123, dirty: true }

/**
 * Creates the sample project in `folder` (once; an existing one is kept as the user left it):
 * the shop's dirty input files in `input/`, and `sample.sluice` holding the orders pipeline as
 * version 1 with project parameters pointing at `input/` and `results/` beside it, so the folder
 * can be moved as a whole. Returns the project file's path.
 */
export async function createSampleProject(
  folder: string,
  data: typeof sampleData = sampleData,
): Promise<string> {
  const project = join(folder, 'sample.sluice')
  const input = join(folder, 'input')
  if (!existsSync(join(input, 'orders.csv'))) {
    mkdirSync(input, { recursive: true })
    await writeOrdersCsv(join(input, 'orders.csv'), data)
    await writeCustomersCsv(join(input, 'customers.csv'), data)
    await writeLeadsCsv(join(input, 'leads.csv'), data)
  }
  if (existsSync(project)) {
    return project
  }
  const document = pipelineSchema.parse(JSON.parse(readFileSync(samplePipelinePath, 'utf8')))
  const store = ProjectStore.create(project, {
    name: 'Sample shop',
    description: 'A small online shop: clean its orders, find new customers, build sales leads.',
  })
  try {
    const pipeline = store.pipelines.create({
      name: document.name,
      ...(document.description ? { description: document.description } : {}),
      tags: ['sample'],
      document,
    })
    store.pipelines.saveVersion(pipeline.id, { message: 'The sample as shipped' })
    store.parameters.set({
      name: 'data',
      value: 'input',
      description: 'Folder holding orders.csv, customers.csv and leads.csv',
    })
    store.parameters.set({
      name: 'output',
      value: 'results',
      description: 'Folder the cleaned files and lead lists are written to',
    })
  } finally {
    store.close()
  }
  return project
}
