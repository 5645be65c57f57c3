import { runCli } from './main'

/** The `sluice` command: Ctrl+C cancels the run (interrupting DuckDB) instead of killing it mid-write. */
const controller = new AbortController()
process.once('SIGINT', () => {
  process.stderr.write('\nCancelling…\n')
  controller.abort()
})
const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  signal: controller.signal,
})
process.exitCode = code
