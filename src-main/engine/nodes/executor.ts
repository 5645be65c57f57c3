import type { DuckDBConnection } from '@duckdb/node-api'
import type { PushReport } from '../../../src-shared/databases'
import type { NodeQuality } from '../../../src-shared/quality'
import type { LogLevel, NodeProgress } from '../../../src-shared/run'
import type { DatabaseAccess } from '../connectors/database/access'
import type { QualityHistory } from '../quality/history'
import type { ValidNode } from '../../../src-shared/pipeline'

/** A column of a relation as DuckDB describes it. */
export interface ColumnInfo {
  name: string
  type: string
}

/** An input as a node sees it: a SQL-ready relation reference and its columns. */
export interface InputRelation {
  /** Quoted table or view name to use in FROM. */
  ref: string
  columns: ColumnInfo[]
  /** Known when the upstream node ran in this run or was reused. */
  rows?: number
}

/** What a node's code gets to do its work. Paths in configs resolve against `baseDir`. */
export interface NodeContext<Config = Record<string, unknown>> {
  node: ValidNode
  config: Config
  inputs: Record<string, InputRelation>
  /** Output port → quoted table name to create. */
  outputs: Record<string, string>
  connection: DuckDBConnection
  baseDir: string
  /** A folder for this staging database's working files (transcoded inputs). */
  workDir: string
  signal: AbortSignal
  /** Connections, watermarks and dry-run mode for nodes that reach databases. */
  databases: DatabaseAccess
  /** Earlier runs' inputs of check nodes, for row-count change and schema drift. */
  history: QualityHistory
  /** What the check and validate nodes upstream found; a quality gate decides by it. */
  upstreamQuality: UpstreamQuality[]
  progress(progress: Omit<NodeProgress, 'nodeId'>): void
  log(level: LogLevel, message: string): void
}

/** What a node reports when it has finished. Rows out are counted by the executor. */
export interface NodeOutcome {
  rowsRejected?: number
  /** Row counts a node already knows per output port, so the executor need not count again. */
  portRows?: Record<string, number>
  warnings?: string[]
  /** Sinks: where the data went, e.g. a file path or `file.duckdb#table`. */
  written?: string
  rowsWritten?: number
  /** Database pushes: what changed (or, in a dry run, would change). */
  push?: PushReport
  /** Incremental sources: the high-water mark to store if the whole run succeeds. */
  watermark?: string
  /**
   * Check, validate and gate nodes: their rules' results and score. A `failed` rule fails the
   * node (after its results are recorded); `blocked` stops the pushes downstream.
   */
  quality?: NodeQuality
}

/** The quality a check or validate node upstream of a gate reported in this run. */
export interface UpstreamQuality {
  nodeId: string
  quality: NodeQuality
  /** No other check or validate node lies between it and the gate. */
  nearest: boolean
}

/** Input relations and config, enough to compile a transform's SELECT (for runs and previews). */
export interface CompileContext<Config = Record<string, unknown>> {
  nodeId: string
  config: Config
  inputs: Record<string, InputRelation>
}

/**
 * The engine side of a node kind. Sources and sinks implement `run`; transforms implement
 * `compile`, and the executor materialises the SELECT (a preview turns it into a view instead).
 */
export type NodeExecutor<Config = Record<string, unknown>> =
  | {
      role: 'source'
      /** The identity of the data read (file size, mtime, content hash) for fingerprints. */
      identify(config: Config, baseDir: string): Promise<string>
      /**
       * A SELECT reading the source lazily, so a preview's LIMIT stops the read early; null when
       * the source must be staged to be read right (e.g. a file that needs transcoding).
       */
      peek?(config: Config, baseDir: string): Promise<string | null>
      run(context: NodeContext<Config>): Promise<NodeOutcome>
    }
  | {
      role: 'transform'
      compile(context: CompileContext<Config>): string
      /** The output has exactly the input's rows (a projection or a reordering): no count needed. */
      preservesRows?: boolean
      /**
       * Its first rows need all of its input (sorting, grouping, windows), so no LIMIT can be
       * pushed through it; a preview stores its result instead of recomputing it every time.
       */
      blocking?: boolean
      /** Optional checks or warnings that need a query, run before materialising. */
      inspect?(context: NodeContext<Config>): Promise<NodeOutcome>
    }
  | {
      /**
       * Checks, validate suites and gates: they run every time (their verdict depends on the
       * clock and on earlier runs, not only on their inputs) and report `quality`.
       */
      role: 'quality'
      run(context: NodeContext<Config>): Promise<NodeOutcome>
    }
  | {
      role: 'sink'
      /**
       * It can rehearse: in a dry run it works out and reports its changes without making them.
       * Sinks that cannot are not run at all in a dry run, so a dry run changes nothing anywhere.
       */
      rehearses?: boolean
      run(context: NodeContext<Config>): Promise<NodeOutcome>
    }

/** The single input of a one-input node. */
export function onlyInput(inputs: Record<string, InputRelation>): InputRelation {
  const input = inputs.in ?? Object.values(inputs)[0]
  if (!input) {
    throw new Error('node has no connected input')
  }
  return input
}
