import type { PushReport } from '../../src-shared/databases'
import type { SluiceError } from '../../src-shared/errors'
import type {
  CheckResult,
  LogLine,
  NodeRunRecord,
  RunRecordStatus,
  RunSummary,
  RunTrigger,
} from '../../src-shared/project'
import type { NodeQuality, RuleKind, Severity } from '../../src-shared/quality'
import type { LogLevel, NodeStatus } from '../../src-shared/run'

/** Run history rows as SQLite returns them, and their mapping to the shared types. */
export interface RunRow {
  id: string
  pipeline_id: string
  pipeline_name: string
  pipeline_version: number | null
  trigger: RunTrigger
  parameters: string
  started_at: string
  ended_at: string | null
  status: RunRecordStatus
  nodes_reused: number
  nodes_run: number
  error_message: string | null
  errors: string
  dry_run: number
}

export interface RunNodeRow {
  node_id: string
  kind: string
  status: NodeStatus
  rows_in: number
  rows_out: number
  rows_rejected: number
  ms: number
  fingerprint: string
  reused: number
  written: string | null
  push: string | null
  /** NodeQuality as JSON; NULL for nodes that check nothing and for runs before schema 4. */
  quality: string | null
  warnings: string
  error: string | null
}

export interface RunCheckRow {
  node_id: string
  check_name: string
  status: CheckResult['status']
  rows_passed: number
  rows_failed: number
  message: string
  kind: RuleKind | null
  severity: Severity | null
  pass_rate: number | null
}

export interface LogRow {
  run_id: string
  seq: number
  at: string
  level: LogLevel
  node_id: string | null
  message: string
}

export function toRunSummary(row: RunRow): RunSummary {
  return {
    id: row.id,
    pipelineId: row.pipeline_id,
    pipelineName: row.pipeline_name,
    pipelineVersion: row.pipeline_version,
    trigger: row.trigger,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    status: row.status,
    nodesReused: row.nodes_reused,
    nodesRun: row.nodes_run,
    errorMessage: row.error_message,
    dryRun: row.dry_run === 1,
  }
}

export function toNodeRunRecord(row: RunNodeRow): NodeRunRecord {
  const node: NodeRunRecord = {
    nodeId: row.node_id,
    kind: row.kind,
    status: row.status,
    rowsIn: row.rows_in,
    rowsOut: row.rows_out,
    rowsRejected: row.rows_rejected,
    ms: row.ms,
    fingerprint: row.fingerprint,
    reused: row.reused === 1,
    warnings: JSON.parse(row.warnings) as string[],
  }
  if (row.written !== null) {
    node.written = row.written
  }
  if (row.push !== null) {
    node.push = JSON.parse(row.push) as PushReport
  }
  if (row.quality !== null) {
    node.quality = JSON.parse(row.quality) as NodeQuality
  }
  if (row.error !== null) {
    node.error = JSON.parse(row.error) as SluiceError
  }
  return node
}

export function toCheckResult(row: RunCheckRow): CheckResult {
  return {
    nodeId: row.node_id,
    check: row.check_name,
    status: row.status,
    rowsPassed: row.rows_passed,
    rowsFailed: row.rows_failed,
    message: row.message,
    ...(row.kind === null ? {} : { kind: row.kind }),
    ...(row.severity === null ? {} : { severity: row.severity }),
    ...(row.pass_rate === null ? {} : { passRate: row.pass_rate }),
  }
}

export function toLogLine(row: LogRow): LogLine {
  return {
    runId: row.run_id,
    seq: row.seq,
    at: row.at,
    level: row.level,
    nodeId: row.node_id,
    message: row.message,
  }
}
