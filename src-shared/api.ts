import { z } from 'zod'
import type { BrowseEntry, ConnectionTestResult } from './databases'
import type { SluiceError } from './errors'
import { pipelineSchema } from './pipeline/document'
import {
  connectionFieldsSchema,
  parameterNamePattern,
  runTriggers,
  uiLanguages,
  type Connection,
  type LogLine,
  type Parameter,
  type PipelineDetail,
  type PipelineDiff,
  type PipelineSummary,
  type PipelineVersion,
  type PipelineVersionInfo,
  type ProjectInfo,
  type RecentProject,
  type RunRecord,
  type RunSummary,
  type Schedule,
  type UiLanguage,
} from './project'
import type { QualityTrendPoint, Rule } from './quality'
import type { NodeProgress, NodeStats, PreviewResult } from './run'

/**
 * The one contract between the UI (or the CLI) and the engine service. Each method is declared
 * once: its request schema, checked by the service before anything runs, and its result type,
 * which callers get through a typed proxy. Names are `domain/verb`.
 */
function method<Result>() {
  return <Params extends z.ZodType>(params: Params): MethodSpec<Params, Result> => ({
    params,
    result: undefined as unknown as Result,
  })
}

interface MethodSpec<Params extends z.ZodType, Result> {
  params: Params
  /** Type-level only: the value is never read. */
  result: Result
}

const id = z.string().min(1).max(200)
const name = z.string().trim().min(1).max(200)
const filePath = z.string().min(1).max(4096)
const parameterValues = z.record(z.string().regex(parameterNamePattern), z.string())
const noParams = z.object({}).strict()

/** The pipeline document as the canvas sends it: any shape-valid draft, checked again on load. */
const documentParam = pipelineSchema

export const apiMethods = {
  'project/create': method<ProjectInfo>()(
    z.object({ path: filePath, name, description: z.string().max(10_000).optional() }),
  ),
  'project/open': method<ProjectInfo>()(z.object({ path: filePath })),
  'project/close': method<null>()(noParams),
  'project/info': method<ProjectInfo>()(noParams),
  'project/update': method<ProjectInfo>()(
    z.object({
      name: name.optional(),
      description: z.string().max(10_000).optional(),
      /** Where the DuckDB staging file goes; relative paths are against the project's folder. */
      stagingPath: filePath.optional(),
    }),
  ),
  'project/recent': method<RecentProject[]>()(noParams),
  /** Creates the sample shop project (once, in the host's samples folder) and opens it. */
  'project/openSample': method<ProjectInfo>()(noParams),
  /** Writes the open project as one JSON file, without secrets; run history only when asked. */
  'project/export': method<{ path: string; pipelines: number; runs: number }>()(
    z.object({ path: filePath, includeRuns: z.boolean().default(false) }),
  ),
  /** Creates a new project file from an exported project JSON, and opens it. */
  'project/import': method<ProjectInfo>()(z.object({ from: filePath, path: filePath })),

  'pipeline/list': method<PipelineSummary[]>()(noParams),
  'pipeline/get': method<PipelineDetail>()(z.object({ id })),
  'pipeline/create': method<PipelineDetail>()(
    z.object({
      name,
      description: z.string().max(10_000).optional(),
      tags: z.array(z.string().min(1).max(100)).max(100).optional(),
      document: documentParam.optional(),
    }),
  ),
  'pipeline/update': method<PipelineSummary>()(
    z.object({
      id,
      name: name.optional(),
      description: z.string().max(10_000).optional(),
      tags: z.array(z.string().min(1).max(100)).max(100).optional(),
    }),
  ),
  /** Every problem in the working copy (or a version), each naming its node and field. */
  'pipeline/validate': method<{ ok: boolean; errors: SluiceError[] }>()(
    z.object({
      id,
      version: z.number().int().min(1).optional(),
      parameters: parameterValues.default({}),
    }),
  ),
  'pipeline/delete': method<null>()(z.object({ id })),
  /** Stores the working copy (the canvas calls this within a second of every edit). */
  'pipeline/autosave': method<PipelineSummary>()(z.object({ id, document: documentParam })),
  /** An explicit save: a new numbered version of the working copy (or of `document`). */
  'pipeline/saveVersion': method<PipelineVersionInfo>()(
    z.object({ id, message: z.string().max(2000).default(''), document: documentParam.optional() }),
  ),
  'pipeline/versions': method<PipelineVersionInfo[]>()(z.object({ id })),
  'pipeline/version': method<PipelineVersion>()(z.object({ id, version: z.number().int().min(1) })),
  'pipeline/diff': method<PipelineDiff>()(
    z.object({
      id,
      from: z.number().int().min(1),
      /** Omitted: the working copy. */
      to: z.number().int().min(1).optional(),
    }),
  ),
  /** Makes an old version the working copy and saves it as a new version; history is kept. */
  'pipeline/restore': method<PipelineVersionInfo>()(
    z.object({ id, version: z.number().int().min(1) }),
  ),
  'pipeline/duplicate': method<PipelineDetail>()(z.object({ id, name: name.optional() })),
  /** The pipeline as a document JSON, runnable with `sluice run file.json`. */
  'pipeline/export': method<{ json: string }>()(
    z.object({ id, version: z.number().int().min(1).optional() }),
  ),
  'pipeline/import': method<PipelineDetail>()(
    z.object({ json: z.string().max(100_000_000), name: name.optional() }),
  ),

  'connection/list': method<Connection[]>()(noParams),
  'connection/create': method<Connection>()(connectionFieldsSchema),
  'connection/update': method<Connection>()(z.object({ id, fields: connectionFieldsSchema })),
  'connection/delete': method<null>()(z.object({ id })),
  /** Puts the connection's secret into the secret store; the project keeps only its name. */
  'connection/setSecret': method<{ secretRef: string; store: string }>()(
    z.object({ id, secret: z.string().min(1).max(10_000) }),
  ),

  /** Connects with the stored fields and secret; a failure names its cause (refused, TLS, ...). */
  'connection/test': method<ConnectionTestResult>()(z.object({ id })),
  /** Schemas, the tables of a schema, or the columns of a table, with types and row estimates. */
  'connection/browse': method<BrowseEntry[]>()(
    z.object({
      id,
      schema: z.string().max(1000).optional(),
      table: z.string().max(1000).optional(),
    }),
  ),

  'parameter/list': method<Parameter[]>()(noParams),
  'parameter/set': method<Parameter>()(
    z.object({
      name: z.string().regex(parameterNamePattern).max(100),
      value: z.string().max(100_000),
      description: z.string().max(2000).default(''),
    }),
  ),
  'parameter/delete': method<null>()(z.object({ name: z.string().min(1) })),

  'schedule/list': method<Schedule[]>()(noParams),
  'schedule/create': method<Schedule>()(
    z.object({
      pipelineId: id,
      cron: z
        .string()
        .trim()
        .regex(/^(\S+\s+){4}\S+$/, 'a cron expression has five fields'),
      timezone: z.string().min(1).max(100).default('UTC'),
      enabled: z.boolean().default(true),
      parameters: parameterValues.default({}),
    }),
  ),
  'schedule/delete': method<null>()(z.object({ id })),

  /** Starts a run in the background and answers with its id; events follow. */
  'run/start': method<{ runId: string }>()(
    z.object({
      pipelineId: id,
      /** Omitted: the working copy as it is now. */
      version: z.number().int().min(1).optional(),
      parameters: parameterValues.default({}),
      trigger: z.enum(runTriggers).default('manual'),
      reuse: z.boolean().default(true),
      /** Run only this node and what it needs ("run to the selected node"). */
      untilNode: id.optional(),
      /**
       * Pushes to databases work out what they would change (rows to insert, update, delete;
       * DDL) and change nothing; file outputs are not written; watermarks do not advance.
       */
      dryRun: z.boolean().default(false),
    }),
  ),
  'run/cancel': method<{ cancelled: boolean }>()(z.object({ runId: id })),
  /** Resolves when the run has ended, with its record. */
  'run/wait': method<RunRecord>()(z.object({ runId: id })),
  /** Newest first; `before` pages on from the last run of the previous page. */
  'run/list': method<RunSummary[]>()(
    z.object({
      pipelineId: id.optional(),
      limit: z.number().int().min(1).max(1000).default(50),
      before: id.optional(),
    }),
  ),
  'run/get': method<RunRecord>()(z.object({ runId: id })),
  'run/logs': method<LogLine[]>()(
    z.object({ runId: id, afterSeq: z.number().int().min(0).default(0) }),
  ),

  'preview/node': method<PreviewResult>()(
    z.object({
      pipelineId: id,
      nodeId: id,
      rows: z.number().int().min(0).max(10_000).default(100),
      port: z.string().min(1).optional(),
      parameters: parameterValues.default({}),
    }),
  ),
  /**
   * The quality score of a check, validate or gate node across the pipeline's recent runs,
   * oldest first, for the trend chart.
   */
  'quality/trend': method<QualityTrendPoint[]>()(
    z.object({ pipelineId: id, nodeId: id, limit: z.number().int().min(1).max(500).default(50) }),
  ),
  /** A validate node's rules as YAML, to review and version beside the project. */
  'quality/export-rules': method<{ yaml: string }>()(z.object({ pipelineId: id, nodeId: id })),
  /** Rules from YAML, checked; errors name the rule and field. The caller puts them in a node. */
  'quality/import-rules': method<{ rules: Rule[] }>()(
    z.object({ yaml: z.string().max(1_000_000) }),
  ),
  /** Per-column statistics of a node's output (or of `port`), computed by DuckDB over all rows. */
  'preview/profile': method<NodeProfile>()(
    z.object({
      pipelineId: id,
      nodeId: id,
      port: z.string().min(1).optional(),
      parameters: parameterValues.default({}),
    }),
  ),

  /**
   * A folder's entries, for the web host's file picker: only inside the user's home folder and
   * the open project's folder. Omitting `path` lists those roots.
   */
  'files/list': method<FolderListing>()(
    z.object({
      path: filePath.optional(),
      /** Only files with these extensions (folders are always listed), e.g. `['csv', 'tsv']`. */
      extensions: z
        .array(z.string().regex(/^[a-z0-9]+$/))
        .max(50)
        .optional(),
    }),
  ),

  'settings/get': method<AppSettings>()(noParams),
  'settings/update': method<AppSettings>()(
    z.object({
      language: z.enum(uiLanguages).optional(),
      theme: z.enum(['light', 'dark']).optional(),
    }),
  ),
} as const

/** One bar of a column's histogram: values from `from` up to `to`, and how many rows hold them. */
export interface HistogramBin {
  /** The bin's lower edge, as text (a number, or an ISO date or timestamp). */
  from: string
  /**
   * The bin's upper edge: for whole numbers and dates the last value inside the bin; otherwise
   * the edge itself, which belongs to the next bin (except in the last bin).
   */
  to: string
  count: number
}

/** What a profile says about one column. */
export interface ColumnProfile {
  name: string
  type: string
  rows: number
  nulls: number
  /** Distinct non-null values, exact. */
  distinct: number
  /** The smallest and largest values as text; null when the column is all null or not ordered. */
  min: string | null
  max: string | null
  /** Up to 10 most frequent values (a null value is `null`), most frequent first, ties by value. */
  top: Array<{ value: string | null; count: number }>
  /** Up to 20 equal-width bins for number, date and timestamp columns; null for other types. */
  histogram: HistogramBin[] | null
  /** The mean and sample standard deviation of a number column (NaN and ±infinity left out). */
  mean: number | null
  stddev: number | null
  /**
   * Exact quartiles as text, for number, date and timestamp columns; null for other types or no
   * values. Numbers interpolate between the two nearest values (as pandas does); dates and
   * timestamps take the nearest value at or below (so a quartile is a date in the column).
   */
  quantiles: { p25: string; median: string; p75: string } | null
  /**
   * What the column holds, inferred from its type, distinct values, whether a value repeats, and
   * a sample of up to 10,000 values: their lengths, spaces, and the share matching the email and
   * phone presets of the pattern rule or reading as a date (90% needed).
   */
  semanticType: 'email' | 'phone' | 'id' | 'date' | 'category' | 'free text' | 'number' | 'other'
}

/** A node's output profiled column by column. */
export interface NodeProfile {
  nodeId: string
  port: string
  rows: number
  columns: ColumnProfile[]
  ms: number
}

/** One entry of a folder listing. */
export interface FileEntry {
  name: string
  path: string
  kind: 'file' | 'folder'
  size: number
  modifiedAt: string
}

/** A folder's entries for the file picker, folders first, then by name. */
export interface FolderListing {
  /** The folder listed, or null for the list of roots. */
  path: string | null
  /** The folder above, when it is still inside a root. */
  parent: string | null
  roots: string[]
  entries: FileEntry[]
}

/** App-wide settings from the app-level store. */
export interface AppSettings {
  /** Null until the user picks one: the UI follows the system's language. */
  language: UiLanguage | null
  /** Null until the user picks one: the UI follows the system's colour scheme. */
  theme: 'light' | 'dark' | null
}

export type ApiMethods = typeof apiMethods
export type MethodName = keyof ApiMethods
/** What a caller passes: the schema's input (defaults may be left out). */
export type ParamsOf<M extends MethodName> = z.input<ApiMethods[M]['params']>
/** What a handler receives: the schema's output, defaults filled in. */
export type CheckedParamsOf<M extends MethodName> = z.output<ApiMethods[M]['params']>
export type ResultOf<M extends MethodName> = ApiMethods[M]['result']

/** Every answer is data: a value or a `SluiceError` with its code. */
export type ApiResponse<T> = { ok: true; value: T } | { ok: false; error: SluiceError }

/** The handlers a service implements, one per method, typed against the contract. */
export type ApiHandlers = {
  [M in MethodName]: (params: CheckedParamsOf<M>) => Promise<ResultOf<M>>
}

/** The caller's side: one typed function per method. */
export type ApiClient = {
  [M in MethodName]: (params: ParamsOf<M>) => Promise<ResultOf<M>>
}

/** What the service tells its watchers while runs go on. */
export type ApiEvent =
  | { type: 'run-started'; runId: string; pipelineId: string; order: string[] }
  | { type: 'node-status'; runId: string; nodeId: string; status: 'running' }
  | { type: 'node-finished'; runId: string; stats: NodeStats }
  | { type: 'run-progress'; runId: string; progress: NodeProgress }
  | { type: 'log'; runId: string; line: LogLine }
  | { type: 'run-finished'; runId: string; record: RunSummary }

/** True for a method name in the contract (transports check names before dispatching). */
export function isMethodName(value: unknown): value is MethodName {
  return typeof value === 'string' && Object.hasOwn(apiMethods, value)
}
