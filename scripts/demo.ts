import { join, relative, resolve } from 'node:path'
import { runCli } from '../src-main/hosts/cli/main'
import { createSampleProject } from '../src-main/service/sample-project/create-sample-project'

/**
 * `npm run demo`: creates the sample project (once) in demo-output/ — the shop's dirty input
 * files and `sample.sluice` holding the orders pipeline — and runs its pipeline from the
 * project through the `sluice` CLI on an embedded DuckDB: twice, so the second run shows
 * unchanged nodes reusing their stored results.
 */
const root = resolve(import.meta.dirname, '..')
const output = join(root, 'demo-output')
const pipelineName = 'Orders to customers and sales leads'

const project = await createSampleProject(output)
const shown = relative(root, project)
process.stdout.write(`Sample project: ${shown} (inputs in ${relative(root, output)}/input/)\n`)

const io = { stdout: process.stdout, stderr: process.stderr }
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
