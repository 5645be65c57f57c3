import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { z } from 'zod'
import { machineBusySeconds, otherLoad } from './machine-load'

/** The repository root: children run from here so `--import tsx` and relative imports resolve. */
export const repoRoot = resolve(import.meta.dirname, '..')

/**
 * What a measured child prints as the last line of its stdout: its own timing of the work (so
 * process start-up and module loading are not counted), optionally split into named steps.
 */
export const workReportSchema = z.object({
  ms: z.number(),
  steps: z.array(z.object({ name: z.string(), ms: z.number() })).default([]),
  notes: z.array(z.string()).default([]),
})

export type WorkReport = z.output<typeof workReportSchema>

/** One measured child process: its work report, and what `/usr/bin/time -v` saw from outside. */
export interface Measurement {
  work: WorkReport
  /** The child's whole life, start-up included. */
  wallMs: number
  /** Peak resident set size of the child (and any process it waited for). */
  rssBytes: number
  /** Cores other processes kept busy on average meanwhile (0 on a quiet machine). */
  otherLoad: number
  /** CPU seconds a database server spent meanwhile, when the case names one (`serverCpu`). */
  serverCpuSeconds?: number
}

/** A child's command line: a TypeScript task run by Node with tsx, or any program. */
export type ChildCommand = { task: string; input: unknown } | { program: string; args: string[] }

/** Runs a TypeScript task file under `bench/tasks/` in a child Node, passing `input` as JSON. */
export function taskCommand(task: string, input: unknown): ChildCommand {
  return { task, input }
}

function argv(command: ChildCommand): string[] {
  if ('task' in command) {
    const file = join(repoRoot, 'bench', 'tasks', `${command.task}.ts`)
    return [process.execPath, '--import', 'tsx', file, JSON.stringify(command.input)]
  }
  return [command.program, ...command.args]
}

/**
 * Runs a child under `/usr/bin/time -v` (its report goes to a file, not mixed into the child's
 * stderr) and returns the child's work report with peak RSS and wall time. A failing child
 * throws with the end of its stderr. `serverCpu` reads the CPU seconds of a server the child
 * works through (a database): that work is part of the measurement, not other load.
 */
export async function measureChild(
  command: ChildCommand,
  serverCpu?: () => number,
): Promise<Measurement> {
  const folder = mkdtempSync(join(tmpdir(), 'sluice-bench-'))
  const timeFile = join(folder, 'time.txt')
  try {
    const serverBefore = serverCpu?.() ?? 0
    const busyBefore = machineBusySeconds()
    const { code, stdout, stderr } = await spawnCollecting('/usr/bin/time', [
      '-v',
      '-o',
      timeFile,
      ...argv(command),
    ])
    if (code !== 0) {
      throw new Error(
        `child ${argv(command).slice(-2).join(' ')} exited ${code}:\n${stderr.slice(-2000)}`,
      )
    }
    const last = stdout.trim().split('\n').at(-1) ?? ''
    const work = workReportSchema.parse(JSON.parse(last))
    const { wallMs, rssBytes, cpuSeconds } = parseTimeReport(readFileSync(timeFile, 'utf8'))
    const busy = machineBusySeconds() - busyBefore
    if (!serverCpu) {
      return { work, wallMs, rssBytes, otherLoad: otherLoad(busy, cpuSeconds, wallMs / 1000) }
    }
    const serverCpuSeconds = serverCpu() - serverBefore
    const load = otherLoad(busy, cpuSeconds + serverCpuSeconds, wallMs / 1000)
    return { work, wallMs, rssBytes, otherLoad: load, serverCpuSeconds }
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}

/** Reads peak RSS, wall time and CPU time out of GNU time's `-v` report. */
export function parseTimeReport(report: string): {
  wallMs: number
  rssBytes: number
  cpuSeconds: number
} {
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(report)
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)/.exec(report)
  const user = /User time \(seconds\): ([\d.]+)/.exec(report)
  const system = /System time \(seconds\): ([\d.]+)/.exec(report)
  if (!rss?.[1] || !wall?.[1] || !user?.[1] || !system?.[1]) {
    throw new Error(`cannot read /usr/bin/time -v output:\n${report}`)
  }
  // m:ss.cc or h:mm:ss: fold the colon-separated parts from the left.
  const seconds = wall[1].split(':').reduce((total, part) => total * 60 + Number(part), 0)
  return {
    wallMs: Math.round(seconds * 1000),
    rssBytes: Number(rss[1]) * 1024,
    cpuSeconds: Number(user[1]) + Number(system[1]),
  }
}

function spawnCollecting(
  program: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(program, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.on('error', fail)
    child.on('close', (code) => done({ code, stdout, stderr }))
  })
}

/** Times `work` inside a child and prints the report line `measureChild` reads. */
export async function reportWork(
  work: (step: (name: string, ms: number) => void, note: (text: string) => void) => Promise<void>,
): Promise<void> {
  const steps: WorkReport['steps'] = []
  const notes: string[] = []
  const started = performance.now()
  await work(
    (name, ms) => steps.push({ name, ms: Math.round(ms * 100) / 100 }),
    (text) => notes.push(text),
  )
  const report: WorkReport = { ms: Math.round(performance.now() - started), steps, notes }
  process.stdout.write(`\n${JSON.stringify(report)}\n`)
}

/** The JSON argument a task was started with, checked against the task's schema. */
export function taskInput<T extends z.ZodType>(schema: T): z.output<T> {
  return schema.parse(JSON.parse(process.argv[2] ?? 'null'))
}

/**
 * Repeated measurements folded into one: the run with the median work time (its steps too),
 * with the highest peak RSS of all runs, so memory is never understated.
 */
export function medianRun(runs: readonly Measurement[]): Measurement {
  const sorted = [...runs].sort((a, b) => a.work.ms - b.work.ms)
  const median = sorted[Math.floor((sorted.length - 1) / 2)]
  if (!median) {
    throw new Error('no runs to summarise')
  }
  return { ...median, rssBytes: Math.max(...runs.map((run) => run.rssBytes)) }
}
