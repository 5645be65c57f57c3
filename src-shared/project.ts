import type { PushReport } from './databases'
import { z } from 'zod'
import type { Pipeline } from './pipeline'
import type { LogLevel, NodeStatus, RunStatus } from './run'
import type { SluiceError } from './errors'
import type { NodeQuality, RuleKind, RuleStatus, Severity } from './quality'

/** The project file as the UI shows it: what it is called and where its working data lives. */
export interface ProjectInfo {
  path: string
  name: string
  description: string
  createdAt: string
  updatedAt: string
  /** The store schema version of the file. */
  schemaVersion: number
  /** The DuckDB staging file for this project (beside the project unless configured). */
  stagingPath: string
}

/** One pipeline in a project's list. */
export interface PipelineSummary {
  id: string
  name: string
  description: string
  tags: string[]
  createdAt: string
  updatedAt: string
  /** The newest explicit version, or null when it was never saved as a version. */
  latestVersion: number | null
  /** The working copy differs from the latest version. */
  unsaved: boolean
}

/** A pipeline with its working copy: the document the canvas edits and autosaves. */
export interface PipelineDetail extends PipelineSummary {
  document: Pipeline
}

/** An explicit save: numbered from 1 per pipeline, never changed afterwards. */
export interface PipelineVersionInfo {
  pipelineId: string
  version: number
  savedAt: string
  message: string
}

export interface PipelineVersion extends PipelineVersionInfo {
  document: Pipeline
}

/** One config field that differs between two versions of a node. */
export interface FieldChange {
  /** Dotted path from the node, e.g. `config.delimiter` or `position.x`. */
  field: string
  before: unknown
  after: unknown
}

/** What changed between two pipeline documents, node by node and edge by edge. */
export interface PipelineDiff {
  nodesAdded: Array<{ id: string; kind: string }>
  nodesRemoved: Array<{ id: string; kind: string }>
  nodesChanged: Array<{ id: string; kind: string; changes: FieldChange[] }>
  edgesAdded: string[]
  edgesRemoved: string[]
  /** Document-level fields: name, description, parameters. */
  pipelineChanges: FieldChange[]
}

export const connectionKinds = ['postgres', 'mysql', 'sqlite', 'duckdb'] as const
export type ConnectionKind = (typeof connectionKinds)[number]

const optionValue = z.union([z.string(), z.number(), z.boolean()])

/** A connection as stored in a project: everything except the secret, which is only referenced. */
export const connectionFieldsSchema = z.object({
  name: z.string().trim().min(1).max(200),
  kind: z.enum(connectionKinds),
  host: z.string().max(255).optional(),
  port: z.number().int().min(1).max(65535).optional(),
  database: z.string().max(1024).optional(),
  user: z.string().max(255).optional(),
  options: z.record(z.string(), optionValue).default({}),
  /**
   * The name of the secret in the secret store (an environment variable suffix for the CLI).
   * Defaults to one derived from the connection's name when a secret is set.
   */
  secretRef: z
    .string()
    .regex(/^[A-Za-z0-9_]+$/, 'letters, digits and underscores only')
    .max(100)
    .optional(),
})

export type ConnectionFields = z.infer<typeof connectionFieldsSchema>

export interface Connection extends ConnectionFields {
  id: string
  createdAt: string
  updatedAt: string
}

/** A project-level variable, usable in any config as `${name}`. */
export interface Parameter {
  name: string
  value: string
  description: string
}

export const parameterNamePattern = /^[A-Za-z_][A-Za-z0-9_.-]*$/

/** A stored schedule; running them belongs to the automation work. */
export interface Schedule {
  id: string
  pipelineId: string
  cron: string
  timezone: string
  enabled: boolean
  parameters: Record<string, string>
  createdAt: string
}

export const runTriggers = ['manual', 'cli', 'schedule', 'api'] as const
export type RunTrigger = (typeof runTriggers)[number]

/** How a run record ended; `running` while it runs, `interrupted` when Sluice died during it. */
export type RunRecordStatus = 'running' | RunStatus | 'interrupted'

/** A run in the history list. */
export interface RunSummary {
  id: string
  pipelineId: string
  pipelineName: string
  /** The version that ran, or null for the unsaved working copy. */
  pipelineVersion: number | null
  trigger: RunTrigger
  startedAt: string
  endedAt: string | null
  status: RunRecordStatus
  nodesReused: number
  nodesRun: number
  errorMessage: string | null
  /** Pushes only worked out their changes; nothing was written. */
  dryRun: boolean
}

/** What one node did in a recorded run. */
export interface NodeRunRecord {
  nodeId: string
  kind: string
  status: NodeStatus
  rowsIn: number
  rowsOut: number
  rowsRejected: number
  ms: number
  fingerprint: string
  /** The node's stored result was reused (its fingerprint matched). */
  reused: boolean
  written?: string
  /** Database pushes: what changed, or in a dry run would change. */
  push?: PushReport
  /** Check, validate and gate nodes: each rule's result, the score, the input schema. */
  quality?: NodeQuality
  warnings: string[]
  error?: SluiceError
}

/**
 * The outcome of one quality rule in a run, one row per rule so the history can be queried
 * without opening each node's quality record. The optional fields are absent in runs recorded
 * before rules had them.
 */
export interface CheckResult {
  nodeId: string
  /** The rule's name, unique within its node. */
  check: string
  status: RuleStatus
  /** Rows that passed: tested − failed (NULLs a rule skips are in neither count). */
  rowsPassed: number
  rowsFailed: number
  message: string
  /** The rule kind, e.g. `not-null`. */
  kind?: RuleKind
  severity?: Severity
  /** (tested − failed) / tested, 1 when nothing was tested. */
  passRate?: number
}

export interface RunRecord extends RunSummary {
  parameters: Record<string, string>
  nodes: NodeRunRecord[]
  checks: CheckResult[]
  errors: SluiceError[]
}

export interface LogLine {
  runId: string
  seq: number
  at: string
  level: LogLevel
  nodeId: string | null
  message: string
}

/** How far an incremental source has read, kept per source node. */
export interface Watermark {
  pipelineId: string
  nodeId: string
  value: string
  runId: string | null
  updatedAt: string
}

/** The recent-projects list of the app-level store. */
export interface RecentProject {
  path: string
  name: string
  openedAt: string
}

export const uiLanguages = ['en', 'zh-CN'] as const
export type UiLanguage = (typeof uiLanguages)[number]
