import { join } from 'node:path'
import { startTestServers } from '../../scripts/test-servers'
import { freshFolder } from '../data'
import {
  createOrdersTable,
  loadWithClient,
  runSql,
  sourceTable,
  tableFingerprint,
  type DatabaseKind,
} from '../database-clients'
import { ensureCleanOrders, stageCleanOrders } from '../database-data'
import { pushLine, readLine, runLine, type Line, type Server, type Staged } from '../database-lines'
import type { Measurement } from '../measure'
import type { CaseOutcome } from '../report'
import { serverCpu } from '../server-cpu'
import { million, sizeLabel, type BenchContext } from './context'

/**
 * Case (i): pushes and reads through Sluice's database drivers against the servers' own bulk
 * clients, on the same private PostgreSQL 15 and MariaDB, in the same run (issue 5, "Targets").
 */

const appendTarget = 'ratio ≤ 1.11 (≥ 0.9× rows/s)'
const upsertTarget = '≥ 100k rows/s'
const readTarget = 'ratio ≤ 1.25 (≥ 0.8× rows/s)'
const rssTarget = 'peak RSS < 1 GB'
const rssLimit = 1024 ** 3

/** The clean orders as a CSV (the references' input) and staged in DuckDB (Sluice's). */
async function stageOrders(rows: number, context: BenchContext): Promise<Staged> {
  const orders = await ensureCleanOrders(rows, context.log)
  const folder = `database-${sizeLabel(rows).toLowerCase()}`
  const duckdb = join(freshFolder(folder, 'staged'), 'staged.duckdb')
  await stageCleanOrders(orders, duckdb)
  return { rows, csv: orders.csv, duckdb, folder }
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
            name: '(i.2) postgres upsert 1M 50% exist',
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
