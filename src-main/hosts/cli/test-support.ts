import { PassThrough } from 'node:stream'
import { runCli } from './main'

/** Runs one `sluice` command in-process and returns its exit code and what it printed. */
export async function sluice(
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  const out: string[] = []
  const err: string[] = []
  stdout.on('data', (chunk: Buffer) => out.push(chunk.toString()))
  stderr.on('data', (chunk: Buffer) => err.push(chunk.toString()))
  const code = await runCli(args, { stdout, stderr })
  return { code, stdout: out.join(''), stderr: err.join('') }
}
