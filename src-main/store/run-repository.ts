import { SluiceFailure, sluiceError, type SluiceError } from '../../src-shared/errors'
import type {
  CheckResult,
  LogLine,
  NodeRunRecord,
  RunRecord,
  RunRecordStatus,
  RunSummary,
  RunTrigger,
} from '../../src-shared/project'
import type { NodeQuality, QualityTrendPoint } from '../../src-shared/quality'
import type { LogLevel } from '../../src-shared/run'
import {
  toCheckResult,
  toLogLine,
  toNodeRunRecord,
  toRunSummary,
  type LogRow,
  type RunCheckRow,
  type RunNodeRow,
  type RunRow,
} from './run-rows'
import type { StoreDatabase } from './store-database'

/** What `start` records; the run's id is the engine's. */
export interface RunStart {
  id: string
  pipelineId: string
  pipelineName: string
  pipelineVersion: number | null
  trigger: RunTrigger
  parameters: Record<string, string>
  startedAt: string
  /** A dry run: pushes only worked out their changes. */
  dryRun?: boolean
}

/** The run history: one row per run, its nodes, checks and log lines. */
export class RunRepository {
  constructor(private readonly store: StoreDatabase) {}

  /** Records a run as `running`, with this process's id so a later open can tell it died. */
  start(input: RunStart): void {
    this.store.write(() => {
      this.store
        .statement(
          `INSERT INTO runs (id, pipeline_id, pipeline_name, pipeline_version, trigger, parameters,
            started_at, status, pid, dry_run) VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?, ?)`,
        )
        .run(
          input.id,
          input.pipelineId,
          input.pipelineName,
          input.pipelineVersion,
          input.trigger,
          JSON.stringify(input.parameters),
          input.startedAt,
          process.pid,
          input.dryRun ? 1 : 0,
        )
    })
  }

  /** Records (or replaces) what one node did, and keeps the run's node counts current. */
  recordNode(runId: string, node: NodeRunRecord): void {
    this.store.write(() => {
      this.assertRun(runId)
      this.store
        .statement(
          `INSERT INTO run_nodes (run_id, node_id, kind, status, rows_in, rows_out, rows_rejected,
            ms, fingerprint, reused, written, push, quality, warnings, error)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (run_id, node_id) DO UPDATE SET kind = excluded.kind,
             status = excluded.status, rows_in = excluded.rows_in, rows_out = excluded.rows_out,
             rows_rejected = excluded.rows_rejected, ms = excluded.ms,
             fingerprint = excluded.fingerprint, reused = excluded.reused,
             written = excluded.written, push = excluded.push, quality = excluded.quality,
             warnings = excluded.warnings, error = excluded.error`,
        )
        .run(
          runId,
          node.nodeId,
          node.kind,
          node.status,
          node.rowsIn,
          node.rowsOut,
          node.rowsRejected,
          node.ms,
          node.fingerprint,
          node.reused ? 1 : 0,
          node.written ?? null,
          node.push ? JSON.stringify(node.push) : null,
          node.quality ? JSON.stringify(node.quality) : null,
          JSON.stringify(node.warnings),
          node.error ? JSON.stringify(node.error) : null,
        )
      this.store
        .statement(
          `UPDATE runs SET
            nodes_reused = (SELECT count(*) FROM run_nodes WHERE run_id = @run AND reused = 1),
            nodes_run = (SELECT count(*) FROM run_nodes WHERE run_id = @run AND reused = 0
              AND status IN ('done', 'failed'))
           WHERE id = @run`,
        )
        .run({ run: runId })
    })
  }

  /** Adds one row per quality rule a node applied; a re-recorded node replaces its rows. */
  recordChecks(runId: string, checks: CheckResult[]): void {
    this.store.write(() => {
      this.assertRun(runId)
      const forget = this.store.statement('DELETE FROM run_checks WHERE run_id = ? AND node_id = ?')
      for (const nodeId of new Set(checks.map((check) => check.nodeId))) {
        forget.run(runId, nodeId)
      }
      const insert = this.store.statement(
        `INSERT INTO run_checks (run_id, node_id, check_name, status, rows_passed, rows_failed,
          message, kind, severity, pass_rate) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      for (const check of checks) {
        insert.run(
          runId,
          check.nodeId,
          check.check,
          check.status,
          check.rowsPassed,
          check.rowsFailed,
          check.message,
          check.kind ?? null,
          check.severity ?? null,
          check.passRate ?? null,
        )
      }
    })
  }

  /**
   * What a check node saw in the pipeline's last successful run: its input row count and schema,
   * for row-count change and schema-drift rules. A blocked run does not count: its data was
   * stopped, and taking it as the baseline would let the same drift through on the next run.
   * Failed, cancelled and running runs do not count either.
   */
  previousInput(
    pipelineId: string,
    nodeId: string,
  ): { rows: number; schema: NodeQuality['schema'] } | null {
    return this.store.read(() => {
      const row = this.store
        .statement(
          `SELECT run_nodes.rows_in AS rows_in, run_nodes.quality AS quality
           FROM runs JOIN run_nodes ON run_nodes.run_id = runs.id AND run_nodes.node_id = ?
           WHERE runs.pipeline_id = ? AND runs.status = 'succeeded'
             AND run_nodes.status = 'done'
           ORDER BY runs.started_at DESC, runs.id DESC LIMIT 1`,
        )
        .get(nodeId, pipelineId) as { rows_in: number; quality: string | null } | undefined
      if (!row) {
        return null
      }
      const quality = row.quality === null ? null : (JSON.parse(row.quality) as NodeQuality)
      return { rows: row.rows_in, schema: quality?.schema ?? [] }
    })
  }

  /**
   * A node's quality score in the pipeline's most recent `limit` runs that recorded one, oldest
   * first, for the trend chart.
   */
  qualityTrend(pipelineId: string, nodeId: string, limit: number): QualityTrendPoint[] {
    return this.store.read(() => {
      const rows = this.store
        .statement(
          `SELECT runs.id AS id, runs.started_at AS started_at, runs.status AS status,
             run_nodes.quality AS quality
           FROM runs JOIN run_nodes ON run_nodes.run_id = runs.id AND run_nodes.node_id = ?
           WHERE runs.pipeline_id = ? AND run_nodes.quality IS NOT NULL
           ORDER BY runs.started_at DESC, runs.id DESC LIMIT ?`,
        )
        .all(nodeId, pipelineId, limit) as Array<{
        id: string
        started_at: string
        status: string
        quality: string
      }>
      return rows.reverse().map((row) => {
        const { score } = JSON.parse(row.quality) as NodeQuality
        return {
          runId: row.id,
          startedAt: row.started_at,
          status: row.status,
          score: score.score,
          dimensions: score.dimensions,
        }
      })
    })
  }

  /** Appends a log line, numbered 1.. per run. */
  appendLog(
    runId: string,
    line: { at: string; level: LogLevel; nodeId: string | null; message: string },
  ): LogLine {
    return this.store.write(() => {
      this.assertRun(runId)
      const { next } = this.store
        .statement('SELECT coalesce(max(seq), 0) + 1 AS next FROM run_logs WHERE run_id = ?')
        .get(runId) as { next: number }
      this.store
        .statement(
          'INSERT INTO run_logs (run_id, seq, at, level, node_id, message) VALUES (?, ?, ?, ?, ?, ?)',
        )
        .run(runId, next, line.at, line.level, line.nodeId, line.message)
      return { runId, seq: next, ...line }
    })
  }

  /** Ends the run; its first error's message becomes the one the history list shows. */
  finish(
    runId: string,
    input: { status: RunRecordStatus; endedAt: string; errors: SluiceError[] },
  ): RunSummary {
    return this.store.write(() => {
      this.assertRun(runId)
      this.store
        .statement(
          `UPDATE runs SET status = ?, ended_at = ?, errors = ?, error_message = ?, pid = NULL
           WHERE id = ?`,
        )
        .run(
          input.status,
          input.endedAt,
          JSON.stringify(input.errors),
          input.errors[0]?.message ?? null,
          runId,
        )
      return toRunSummary(this.row(runId))
    })
  }

  /**
   * Newest first. `before` is the last run id of the previous page; paging is by
   * (started_at, id) on an index, so a page costs the same however long the history is.
   */
  list(query: { pipelineId?: string; limit: number; before?: string }): RunSummary[] {
    return this.store.read(() => {
      const after = query.before ? this.row(query.before) : undefined
      const where: string[] = []
      const params: Array<string | number> = []
      if (query.pipelineId !== undefined) {
        where.push('pipeline_id = ?')
        params.push(query.pipelineId)
      }
      if (after) {
        where.push('(started_at, id) < (?, ?)')
        params.push(after.started_at, after.id)
      }
      const sql = `SELECT * FROM runs ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY started_at DESC, id DESC LIMIT ?`
      const rows = this.store.statement(sql).all(...params, query.limit) as RunRow[]
      return rows.map(toRunSummary)
    })
  }

  get(runId: string): RunRecord {
    return this.store.read(() => {
      const row = this.row(runId)
      const nodes = this.store
        .statement('SELECT * FROM run_nodes WHERE run_id = ? ORDER BY rowid')
        .all(runId) as RunNodeRow[]
      const checks = this.store
        .statement('SELECT * FROM run_checks WHERE run_id = ? ORDER BY rowid')
        .all(runId) as RunCheckRow[]
      return {
        ...toRunSummary(row),
        parameters: JSON.parse(row.parameters) as Record<string, string>,
        nodes: nodes.map(toNodeRunRecord),
        checks: checks.map(toCheckResult),
        errors: JSON.parse(row.errors) as SluiceError[],
      }
    })
  }

  /** The run's log lines after `afterSeq`, in order. */
  logs(runId: string, afterSeq: number): LogLine[] {
    return this.store.read(() => {
      this.assertRun(runId)
      const rows = this.store
        .statement('SELECT * FROM run_logs WHERE run_id = ? AND seq > ? ORDER BY seq')
        .all(runId, afterSeq) as LogRow[]
      return rows.map(toLogLine)
    })
  }

  /**
   * Marks runs still `running` whose process is gone as `interrupted`: Sluice died during them
   * and nobody will finish them. Returns how many were marked.
   */
  markInterrupted(now: string): number {
    const running = this.store.read(
      () =>
        this.store.statement("SELECT id, pid FROM runs WHERE status = 'running'").all() as Array<{
          id: string
          pid: number | null
        }>,
    )
    const dead = running.filter((run) => !processIsAlive(run.pid))
    if (dead.length === 0) {
      return 0
    }
    return this.store.write(() => {
      const mark = this.store.statement(
        `UPDATE runs SET status = 'interrupted', ended_at = coalesce(ended_at, ?), pid = NULL
         WHERE id = ? AND status = 'running'`,
      )
      return dead.reduce((marked, run) => marked + mark.run(now, run.id).changes, 0)
    })
  }

  private row(runId: string): RunRow {
    const row = this.store.statement('SELECT * FROM runs WHERE id = ?').get(runId) as
      RunRow | undefined
    if (!row) {
      throw new SluiceFailure(sluiceError('RUN_NOT_FOUND', { run: runId }))
    }
    return row
  }

  private assertRun(runId: string): void {
    if (!this.store.statement('SELECT 1 FROM runs WHERE id = ?').get(runId)) {
      throw new SluiceFailure(sluiceError('RUN_NOT_FOUND', { run: runId }))
    }
  }
}

/** Signal 0 tests for a process without touching it; EPERM means it exists but is not ours. */
function processIsAlive(pid: number | null): boolean {
  if (pid === null) {
    return false
  }
  if (pid === process.pid) {
    return true
  }
  try {
    process.kill(pid, 0)
    return true
  } catch (thrown) {
    return (thrown as NodeJS.ErrnoException).code === 'EPERM'
  }
}
