import { z } from 'zod'
import type {
  Activity,
  DatabaseDriver,
  ResolvedConnection,
} from '../../src-main/engine/connectors/database/contract'
import { mysqlDriver } from '../../src-main/engine/connectors/mysql'
import { postgresDriver } from '../../src-main/engine/connectors/postgres'
import { openStaging } from '../../src-main/engine/duckdb/staging'
import { taskInput, type WorkReport } from '../measure'

/**
 * Child task for case (i): one push (`driver.write` from a staged DuckDB table) or one read
 * (`driver.read` into a new DuckDB table) through the engine's database driver, so its peak RSS
 * is the engine's own. Only the driver call is timed: opening the staging database and
 * describing the input happen before, as they have in a run by the time a sink starts. The report
 * is printed by hand, not by `reportWork`, so a read can be checked after the clock stops.
 */
const server = z.object({
  host: z.string(),
  port: z.number(),
  user: z.string(),
  password: z.string(),
  database: z.string(),
})
const input = taskInput(
  z.discriminatedUnion('operation', [
    z.object({
      operation: z.literal('write'),
      kind: z.enum(['postgres', 'mysql']),
      server,
      staging: z.string(),
      workDir: z.string(),
      from: z.string(),
      table: z.string(),
      mode: z.enum(['append', 'upsert']),
      keys: z.array(z.string()),
    }),
    z.object({
      operation: z.literal('read'),
      kind: z.enum(['postgres', 'mysql']),
      server,
      staging: z.string(),
      workDir: z.string(),
      table: z.string(),
      into: z.string(),
    }),
  ]),
)

const drivers: Record<typeof input.kind, DatabaseDriver> = {
  postgres: postgresDriver,
  mysql: mysqlDriver,
}
const driver = drivers[input.kind]
const connection: ResolvedConnection = {
  id: 'bench',
  name: 'bench',
  kind: input.kind,
  ...input.server,
  // The same plain TCP the reference clients are given.
  sslMode: 'disable',
  connectTimeoutMs: 30_000,
}
const logged: string[] = []
const activity: Activity = {
  nodeId: 'bench',
  signal: new AbortController().signal,
  progress: () => undefined,
  log: (level, message) => logged.push(`${level}: ${message}`),
}

const staging = await openStaging({ path: input.staging })
const duckdb = await staging.connect()
const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`
const notes: string[] = []
let ms = 0
try {
  if (input.operation === 'write') {
    const described = await duckdb.runAndReadAll(`DESCRIBE ${quote(input.from)}`)
    const columns = described
      .getRows()
      .map((row) => ({ name: String(row[0]), type: String(row[1]) }))
    const counted = await duckdb.runAndReadAll(`SELECT count(*) FROM ${quote(input.from)}`)
    const rows = Number(counted.getRows()[0]?.[0])
    const started = performance.now()
    const outcome = await driver.write({
      ...activity,
      connection,
      schema: '',
      table: input.table,
      mode: input.mode,
      keys: input.keys,
      createMissing: false,
      preSql: '',
      postSql: '',
      dryRun: false,
      duckdb,
      input: { ref: quote(input.from), columns, rows },
      workDir: input.workDir,
    })
    ms = performance.now() - started
    notes.push(
      `${outcome.inserted} inserted, ${outcome.updated} updated, ${outcome.deleted} deleted`,
    )
    notes.push(...outcome.warnings.map((text) => `warning: ${text}`))
  } else {
    const started = performance.now()
    const outcome = await driver.read({
      ...activity,
      connection,
      source: { schema: '', table: input.table },
      columns: [],
      where: '',
      incremental: null,
      duckdb,
      target: quote(input.into),
      workDir: input.workDir,
    })
    ms = performance.now() - started
    notes.push(`${outcome.rows} rows read`)
    notes.push(...outcome.warnings.map((text) => `warning: ${text}`))
    // Checked after the clock stopped: what landed in DuckDB, for the parent to compare.
    const checked = await duckdb.runAndReadAll(
      `SELECT count(*), count(DISTINCT order_id), sum(amount)::DECIMAL(38,2)::VARCHAR FROM ${quote(input.into)}`,
    )
    const [count, keys, amount] = checked.getRows()[0] ?? []
    notes.push(`check: ${String(count)} rows, ${String(keys)} keys, amount ${String(amount)}`)
  }
} finally {
  duckdb.closeSync()
  staging.close()
}
const report: WorkReport = { ms: Math.round(ms), steps: [], notes: [...notes, ...logged] }
process.stdout.write(`\n${JSON.stringify(report)}\n`)
