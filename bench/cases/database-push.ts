import { join } from 'node:path'
import { startTestServers, type ServerInfo } from '../../scripts/test-servers'
import { freshFolder } from '../data'
import {
  createOrdersTable,
  loadWithClient,
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
} from '../database-clients'
import { ensureCleanOrders, stageCleanOrders } from '../database-data'
import {
  measureChild,
  medianRun,
  taskCommand,
  type ChildCommand,
  type Measurement,
} from '../measure'
import { comparedRow, spreadLine, type CaseOutcome, type ResultRow } from '../report'
import { serverCpu } from '../server-cpu'
import { countLines } from '../verify'
import { million, sizeLabel, type BenchContext } from './context'

/**
 * Case (i): pushes and reads through Sluice's database drivers against the servers' own bulk
 * clients, on the same private PostgreSQL 15 and MariaDB, in the same run (issue 5, "Targets").
 */

/** One server as the case uses it. */
interface Server {
  kind: DatabaseKind
  info: ServerInfo
  /** Its CPU seconds so far: the server's work is part of each side's measurement. */
  cpu: () => number
}

/** One line of the case: its two sides, run alternately, and how each side's result is checked. */
interface Line {
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

const appendTarget = 'ratio ≤ 1.11 (≥ 0.9× rows/s)'
const upsertTarget = '≥ 100k rows/s'
const readTarget = 'ratio ≤ 1.25 (≥ 0.8× rows/s)'
const rssTarget = 'peak RSS < 1 GB'
const rssLimit = 1024 ** 3

/** Where the staged orders are, for Sluice's side. */
interface Staged {
  rows: number
  csv: string
  duckdb: string
  folder: string
}

async function stageOrders(rows: number, context: BenchContext): Promise<Staged> {
  const orders = await ensureCleanOrders(rows, context.log)
  const folder = `database-${sizeLabel(rows).toLowerCase()}`
  const duckdb = join(freshFolder(folder, 'staged'), 'staged.duckdb')
  await stageCleanOrders(orders, duckdb)
  return { rows, csv: orders.csv, duckdb, folder }
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
    for (const side of ['sluice', 'reference'] as const) {
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
async function runLine(
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
function pushLine(
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
function readLine(name: string, server: Server, staged: Staged, reps: number): Line {
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

/** Starts the private servers, hands them to `work`, and stops them whatever happens. */
async function withServers(
  work: (postgres: Server, mariadb: Server) => Promise<CaseOutcome>,
): Promise<CaseOutcome> {
  const servers = await startTestServers()
  // An interrupted bench must not leave two servers running in the background.
  const stopOnSignal = (): void => {
    const keepAlive = setInterval(() => undefined, 1000)
    void servers.stop().finally(() => {
      clearInterval(keepAlive)
      process.exit(130)
    })
  }
  process.once('SIGINT', stopOnSignal)
  try {
    const { postgres, mariadb } = servers
    if (!postgres || !mariadb) {
      throw new Error(`the test servers did not start: ${servers.missing.join('; ')}`)
    }
    const outcome = await work(
      { kind: 'postgres', info: postgres, cpu: serverCpu('postgres', postgres) },
      { kind: 'mysql', info: mariadb, cpu: serverCpu('mysql', mariadb) },
    )
    return {
      rows: outcome.rows,
      details: [
        '  servers: private PostgreSQL 15 (fsync off) and MariaDB 10.11 (innodb_flush_log_at_trx_commit 0) on 127.0.0.1, plain TCP',
        ...outcome.details,
      ],
    }
  } finally {
    process.off('SIGINT', stopOnSignal)
    // Stopping MariaDB awaits the exit of a child the server script unref'd: with nothing else
    // pending, Node would quit mid-await and drop the results. Keep the loop alive until it is done.
    const keepAlive = setInterval(() => undefined, 1000)
    await servers.stop().finally(() => clearInterval(keepAlive))
  }
}

/** Case (i) at 1M rows: appends, a 50%-existing upsert, and reads, on both servers. */
export async function databaseCase(context: BenchContext): Promise<CaseOutcome> {
  const staged = await stageOrders(million, context)
  return withServers(async (postgres, mariadb) => {
    // The orders as each server's own loader stores them: what the reads read, what the upsert
    // pre-fills from, and what every push must leave in the target.
    const expected = new Map<DatabaseKind, string>()
    for (const server of [postgres, mariadb]) {
      runSql(server.kind, server.info, createOrdersTable(server.kind, sourceTable, true))
      loadWithClient(server.kind, server.info, sourceTable, staged.csv)
      if (server.kind === 'postgres') {
        // Hint bits and the visibility map now, or the first side to read pays for them.
        runSql(server.kind, server.info, [`VACUUM (FREEZE, ANALYZE) ${sourceTable}`])
      }
      expected.set(server.kind, tableFingerprint(server.kind, server.info, sourceTable))
    }
    const expectedOn = (kind: DatabaseKind) => (): string => expected.get(kind) ?? ''
    const reps = context.reps
    const rowsPerSecondAtLeast =
      (floor: number) =>
      (sluice: Measurement): boolean =>
        (staged.rows * 1000) / sluice.work.ms >= floor
    const ratioAtMost =
      (limit: number) =>
      (sluice: Measurement, reference: Measurement): boolean =>
        sluice.work.ms / reference.work.ms <= limit
    const lines: Array<[Line, string, (s: Measurement, r: Measurement) => boolean]> = [
      [
        pushLine(
          { name: '(i.1) postgres append 1M', server: postgres, staged, reps, upsert: false },
          expectedOn('postgres'),
        ),
        appendTarget,
        ratioAtMost(1 / 0.9),
      ],
      [
        pushLine(
          {
            name: '(i.2) postgres upsert 1M, 50% new',
            server: postgres,
            staged,
            reps,
            upsert: true,
          },
          expectedOn('postgres'),
        ),
        upsertTarget,
        rowsPerSecondAtLeast(100_000),
      ],
      [
        pushLine(
          { name: '(i.3) mariadb append 1M', server: mariadb, staged, reps, upsert: false },
          expectedOn('mysql'),
        ),
        appendTarget,
        ratioAtMost(1 / 0.9),
      ],
      [readLine('(i.4) postgres read 1M', postgres, staged, reps), readTarget, ratioAtMost(1.25)],
      [
        readLine('(i.6) mariadb read 1M', mariadb, staged, reps),
        'none (for information)',
        () => true,
      ],
    ]
    const outcomes: CaseOutcome[] = []
    for (const [line, target, met] of lines) {
      outcomes.push(await runLine(line, staged.rows, target, met, context))
    }
    return {
      rows: outcomes.flatMap((outcome) => outcome.rows),
      details: outcomes.flatMap((outcome) => outcome.details),
    }
  })
}

/** Case (i.5): the engine's peak RSS while it appends 10M rows to PostgreSQL. */
export async function largeDatabasePushCase(context: BenchContext): Promise<CaseOutcome> {
  const rows = 10 * million
  const staged = await stageOrders(rows, context)
  return withServers(async (postgres) => {
    // No copy of 10M rows to compare with: the first push with every row and key sets the
    // fingerprint the others must match.
    let agreed: string | undefined
    const expected = (got: string): string => {
      agreed ??= got.startsWith(`${rows} rows, ${rows} keys, `) ? got : `${rows} rows, ${rows} keys`
      return agreed
    }
    const line = pushLine(
      {
        name: '(i.5) postgres append 10M',
        server: postgres,
        staged,
        reps: context.reps10m,
        upsert: false,
      },
      expected,
    )
    return runLine(line, rows, rssTarget, (sluice) => sluice.rssBytes < rssLimit, context)
  })
}
