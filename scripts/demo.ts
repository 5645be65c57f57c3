import { existsSync, mkdirSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { runCli } from '../src-main/hosts/cli/main'
import { createEnvironmentSecrets, createSluiceService } from '../src-main/service'
import { addSamplePipeline } from './sample-project'
import { writeCustomersCsv, writeLeadsCsv, writeOrdersCsv } from './sample-data/orders'

/**
 * `npm run demo`: writes the sample shop's dirty input files (once), creates the sample project
 * file (once), and runs its pipeline from the project through the `sluice` CLI on an embedded
 * DuckDB: twice, so the second run shows unchanged nodes reusing their stored results.
 */
const root = resolve(import.meta.dirname, '..')
const output = join(root, 'demo-output')
const input = join(output, 'input')
const project = join(output, 'sample.sluice')
const pipelineName = 'Orders to customers and sales leads'
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

if (!existsSync(project)) {
  const service = createSluiceService({ secrets: createEnvironmentSecrets() })
  try {
    await service.client['project/create']({ path: project, name: 'Sample shop' })
    await addSamplePipeline(service.client, { data: 'input', output: 'results' })
    process.stdout.write(`Created the sample project ${relative(root, project)}\n`)
  } finally {
    await service.close()
  }
}

const io = { stdout: process.stdout, stderr: process.stderr }
const shown = relative(root, project)
process.stdout.write(`\n$ sluice run ${shown} "${pipelineName}"\n`)
let code = await runCli(['run', project, pipelineName], io)
if (code === 0) {
  process.stdout.write(`\n$ sluice run ${shown} "${pipelineName}"   (again: nothing changed)\n`)
  code = await runCli(['run', project, pipelineName], io)
}
if (code === 0) {
  process.stdout.write(`\n$ sluice preview ${shown} "${pipelineName}" sales_leads --rows 5\n`)
  await runCli(['preview', project, pipelineName, 'sales_leads', '--rows', '5'], io)
  process.stdout.write(`\n$ sluice history ${shown} --limit 5\n`)
  await runCli(['history', project, '--limit', '5'], io)
  process.stdout.write(`\nResults are in ${relative(root, join(output, 'results'))}/\n`)
}
process.exitCode = code
