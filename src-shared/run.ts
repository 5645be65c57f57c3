import type { PushReport } from './databases'
import type { SluiceError } from './errors'
import type { NodeQuality } from './quality'

/**
 * How a node ended in a run. `reused` means its fingerprint matched a stored result; `blocked`, a
 * push that a quality gate (or a `block` rule) upstream stopped.
 */
export type NodeStatus = 'done' | 'reused' | 'failed' | 'skipped' | 'blocked' | 'cancelled'

/** What a run did at one node: the numbers the run summary and the node badge show. */
export interface NodeStats {
  nodeId: string
  kind: string
  status: NodeStatus
  rowsIn: number
  rowsOut: number
  rowsRejected: number
  ms: number
  fingerprint: string
  /** Output port → the DuckDB relation holding it and its row count. */
  outputs: Record<string, { relation: string; rows: number }>
  /** Sinks: what was written. */
  written?: string
  /** Database pushes: the rows inserted, updated and deleted and the DDL run (or, dry, planned). */
  push?: PushReport
  /** Incremental sources: the high-water mark stored once the whole run succeeds. */
  watermark?: string
  /** Check, validate and gate nodes: each rule's result, the input's score and schema. */
  quality?: NodeQuality
  warnings: string[]
  error?: SluiceError
}

/** `blocked`: every node that ran succeeded, but a quality gate stopped one or more pushes. */
export type RunStatus = 'succeeded' | 'blocked' | 'failed' | 'cancelled'

export interface RunResult {
  status: RunStatus
  startedAt: string
  ms: number
  nodes: NodeStats[]
  errors: SluiceError[]
}

/** Progress of one running node; fields are present where the engine knows them. */
export interface NodeProgress {
  nodeId: string
  rows?: number
  bytes?: number
  totalBytes?: number
  percent?: number
}

export type LogLevel = 'info' | 'warn' | 'error'

/** Everything a run tells its watchers, in order. */
export type RunEvent =
  | { type: 'run-started'; order: string[] }
  | { type: 'node-started'; nodeId: string }
  | { type: 'node-progress'; progress: NodeProgress }
  | { type: 'node-finished'; stats: NodeStats }
  | { type: 'log'; level: LogLevel; message: string; nodeId?: string }
  | { type: 'run-finished'; result: RunResult }

/** The first rows of a node's output, with the column types a preview grid shows. */
export interface PreviewResult {
  nodeId: string
  port: string
  columns: Array<{ name: string; type: string }>
  rows: Array<Record<string, unknown>>
  ms: number
}
