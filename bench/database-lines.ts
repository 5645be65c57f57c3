import { join } from 'node:path'
import type { ServerInfo } from '../scripts/test-servers'
import { freshFolder } from './data'
import {
  createOrdersTable,
  mariadbLoadData,
  mariadbSelectToFile,
  prefillHalf,
  psqlCopyAndMerge,
  psqlCopyIn,
  psqlCopyOut,
  readCheck,
  runSql,
  settle,
  sourceTable,
  tableFingerprint,
  targetTable,
  type DatabaseKind,
} from './database-clients'
import {
  measureChild,
  medianRun,
  taskCommand,
  type ChildCommand,
  type Measurement,
} from './measure'
import { comparedRow, spreadLine, type CaseOutcome, type ResultRow } from './report'
import { countLines } from './verify'
import type { BenchContext } from './cases/context'

/**
 * The lines of case (i): each measures Sluice's database driver against a server's own client,
 * alternately, on the same server, and checks what both sides left behind.
 */

/** One server as the case uses it. */
export interface Server {
  kind: DatabaseKind
  info: ServerInfo
  /** Its CPU seconds so far: the server's work is part of each side's measurement. */
  cpu: () => number
}

/** One line of the case: its two sides, and how each side's result is checked. */
export interface Line {
  name: string
  referenceName: string
  server: Server
  reps: number
  /** Untimed, before every measured side: fresh tables, a checkpoint. */
  prepare(): void
  sluice(): ChildCommand
  reference(): ChildCommand
  /** After each side: what it produced, and what it should have. */
  check(side: 'sluice' | 'reference', run: Measurement): Promise<{ got: string; want: string }>
}

/** What a line measured: each side's repetitions and the checks of what they produced. */
interface Measured {
  sluice: Measurement[]
  reference: Measurement[]
  checks: string[]
  ok: boolean
}

/** Where the staged orders are, for Sluice's side. */
export interface Staged {
  rows: number
  csv: string
  duckdb: string
  folder: string
}

/** The driver task's view of a server: no CA file, no socket, just a login. */
function login(
  info: ServerInfo,
): Pick<ServerInfo, 'host' | 'port' | 'user' | 'password' | 'database'> {
  const { host, port, user, password, database } = info
  return { host, port, user, password, database }
}

async function measureLine(line: Line, log: (text: string) => void): Promise<Measured> {
  const measured: Measured = { sluice: [], reference: [], checks: [], ok: true }
  for (let rep = 0; rep < line.reps; rep += 1) {
    log(`  ${line.name}: run ${rep + 1} …`)
    // Every other repetition starts with the reference, so neither side always runs first
    // (after the other's table was dropped, with the other's pages still being written out).
    const sides =
      rep % 2 === 0 ? (['sluice', 'reference'] as const) : (['reference', 'sluice'] as const)
    for (const side of sides) {
      line.prepare()
      const run = await measureChild(
        side === 'sluice' ? line.sluice() : line.reference(),
        line.server.cpu,
      )
      measured[side].push(run)
      const { got, want } = await line.check(side, run)
      const name = side === 'sluice' ? 'sluice' : line.referenceName
      if (got !== want) {
        measured.ok = false
        measured.checks.push(`  MISMATCH ${name} run ${rep + 1}: ${got}; expected ${want}`)
      } else if (rep === line.reps - 1) {
        measured.checks.push(`  ${name} left ${got}`)
      }
    }
  }
  return measured
}

function throughput(rows: number, run: Measurement): string {
  return `${Math.round(rows / run.work.ms).toLocaleString('en')}k rows/s`
}

/** Detail lines under a case line: throughput, server CPU, the spread, Sluice's notes, checks. */
function detailLines(line: Line, rows: number, measured: Measured): string[] {
  const sluice = medianRun(measured.sluice)
  const reference = medianRun(measured.reference)
  const cpu = (run: Measurement): string => `${(run.serverCpuSeconds ?? 0).toFixed(1)} s`
  const notes = new Set(measured.sluice.flatMap((run) => run.work.notes))
  return [
    `  ${line.name}: sluice ${throughput(rows, sluice)}, ${line.referenceName} ${throughput(rows, reference)}; server CPU sluice ${cpu(sluice)}, ${line.referenceName} ${cpu(reference)}`,
    spreadLine([
      ['sluice', measured.sluice],
      [line.referenceName, measured.reference],
    ]),
    ...[...notes].map((note) => `  sluice: ${note}`),
    ...measured.checks,
  ]
}

/**
 * Measures a line and makes its result row. `met` gets Sluice's and the reference's median runs;
 * a line whose outputs do not check out never meets its target.
 */
export async function runLine(
  line: Line,
  rows: number,
  target: string,
  met: (sluice: Measurement, reference: Measurement) => boolean,
  context: BenchContext,
): Promise<CaseOutcome> {
  try {
    const measured = await measureLine(line, context.log)
    const sluice = medianRun(measured.sluice)
    const reference = medianRun(measured.reference)
    const row = comparedRow(
      line.name,
      sluice,
      { name: line.referenceName, run: reference },
      'ratio',
      target,
      () => measured.ok && met(sluice, reference),
    )
    return { rows: [row], details: detailLines(line, rows, measured) }
  } catch (thrown) {
    // The line stays in the table, marked, and the case goes on with its other lines.
    const message = thrown instanceof Error ? thrown.message : String(thrown)
    const row: ResultRow = {
      case: line.name,
      sluice: { ms: Number.NaN },
      target: `${target}: FAILED`,
      met: false,
      otherLoad: 0,
    }
    return { rows: [row], details: [`  ${line.name} FAILED: ${message}`] }
  }
}

/** A push line: Sluice's `driver.write` from the staged table against the server's own loader. */
export function pushLine(
  options: { name: string; server: Server; staged: Staged; reps: number; upsert: boolean },
  expected: (got: string) => string,
): Line {
  const { server, staged, upsert } = options
  const postgres = server.kind === 'postgres'
  return {
    name: options.name,
    referenceName: postgres ? (upsert ? 'psql copy+merge' : 'psql \\copy') : 'mariadb load data',
    server,
    reps: options.reps,
    prepare: () => {
      runSql(server.kind, server.info, createOrdersTable(server.kind, targetTable, upsert))
      if (upsert) {
        runSql(server.kind, server.info, prefillHalf(server.kind, targetTable))
      }
      settle(server.kind, server.info)
    },
    sluice: () =>
      taskCommand('database-driver', {
        operation: 'write',
        kind: server.kind,
        server: login(server.info),
        staging: staged.duckdb,
        workDir: freshFolder(staged.folder, 'push-work'),
        from: 'orders',
        table: targetTable,
        mode: upsert ? 'upsert' : 'append',
        keys: upsert ? ['order_id'] : [],
      }),
    reference: () => {
      if (!postgres) {
        return mariadbLoadData(server.info, staged.csv)
      }
      return upsert
        ? psqlCopyAndMerge(server.info, staged.csv, freshFolder(staged.folder, 'merge'))
        : psqlCopyIn(server.info, staged.csv)
    },
    check: async () => {
      const got = tableFingerprint(server.kind, server.info, targetTable)
      return { got, want: expected(got) }
    },
  }
}

/** A read line: Sluice's `driver.read` into a new DuckDB table against the client into a file. */
export function readLine(name: string, server: Server, staged: Staged, reps: number): Line {
  const postgres = server.kind === 'postgres'
  const want = readCheck(server.kind, server.info)
  let output = ''
  return {
    name,
    referenceName: postgres ? 'psql \\copy to' : 'mariadb -e',
    server,
    reps,
    prepare: () => settle(server.kind, server.info),
    sluice: () => {
      const folder = freshFolder(staged.folder, 'read')
      return taskCommand('database-driver', {
        operation: 'read',
        kind: server.kind,
        server: login(server.info),
        staging: join(folder, 'read.duckdb'),
        workDir: join(folder, 'work'),
        table: sourceTable,
        into: 'orders_read',
      })
    },
    reference: () => {
      output = join(freshFolder(staged.folder, 'read-reference'), 'orders.txt')
      return postgres ? psqlCopyOut(server.info, output) : mariadbSelectToFile(server.info, output)
    },
    check: async (side, run) => {
      if (side === 'sluice') {
        const note = run.work.notes.find((text) => text.startsWith('check: '))
        return { got: note?.slice('check: '.length) ?? 'no check reported', want }
      }
      return { got: `${await countLines(output)} lines`, want: `${staged.rows} lines` }
    },
  }
}
