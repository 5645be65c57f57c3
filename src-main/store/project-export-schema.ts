import { z } from 'zod'
import { pipelineSchema } from '../../src-shared/pipeline'
import { connectionFieldsSchema, runTriggers } from '../../src-shared/project'
import { qualityDimensions, ruleKinds, severities } from '../../src-shared/quality'

const time = z.string().min(1)
const values = z.record(z.string(), z.string())

const exportedVersion = z.object({
  version: z.number().int().min(1),
  savedAt: time,
  message: z.string(),
  document: pipelineSchema,
})

const exportedPipeline = z.object({
  name: z.string().trim().min(1).max(200),
  description: z.string().default(''),
  tags: z.array(z.string()).default([]),
  createdAt: time,
  updatedAt: time,
  /** Oldest first, numbered 1.. without gaps. */
  versions: z.array(exportedVersion),
  workingCopy: pipelineSchema,
})

const sluiceErrorShape = z.object({
  code: z.string(),
  message: z.string(),
  nodeId: z.string().optional(),
  field: z.string().optional(),
  detail: z.string().optional(),
})

const ruleStatus = z.enum(['passed', 'warned', 'failed', 'blocked'])
const dimensionScores = z.partialRecord(z.enum(qualityDimensions), z.number())
const score = z.object({ score: z.number(), dimensions: dimensionScores })

/** NodeQuality as stored with a check, validate or gate node's stats (absent before schema 4). */
const exportedQuality = z.object({
  rules: z.array(
    z.object({
      rule: z.string(),
      check: z.enum(ruleKinds),
      severity: z.enum(severities),
      dimension: z.enum(qualityDimensions),
      columns: z.array(z.string()),
      status: ruleStatus,
      tested: z.number(),
      failed: z.number(),
      passRate: z.number(),
      mostly: z.number(),
      message: z.string(),
      samples: z.array(z.record(z.string(), z.unknown())),
    }),
  ),
  score: score.extend({ columns: z.array(score.extend({ name: z.string() })) }),
  schema: z.array(z.object({ name: z.string(), type: z.string() })),
  blocked: z.string().optional(),
})

const exportedRun = z.object({
  id: z.string().min(1),
  pipelineId: z.string().min(1),
  pipelineName: z.string(),
  pipelineVersion: z.number().int().nullable(),
  trigger: z.enum(runTriggers),
  startedAt: time,
  endedAt: time.nullable(),
  status: z.enum(['running', 'succeeded', 'blocked', 'failed', 'cancelled', 'interrupted']),
  nodesReused: z.number().int(),
  nodesRun: z.number().int(),
  errorMessage: z.string().nullable(),
  parameters: values,
  nodes: z.array(
    z.object({
      nodeId: z.string(),
      kind: z.string(),
      status: z.enum(['done', 'reused', 'failed', 'skipped', 'blocked', 'cancelled']),
      rowsIn: z.number(),
      rowsOut: z.number(),
      rowsRejected: z.number(),
      ms: z.number(),
      fingerprint: z.string(),
      reused: z.boolean(),
      written: z.string().optional(),
      push: z
        .object({
          target: z.string(),
          dryRun: z.boolean(),
          inserted: z.number(),
          updated: z.number(),
          deleted: z.number(),
          ddl: z.array(z.string()),
        })
        .optional(),
      quality: exportedQuality.optional(),
      warnings: z.array(z.string()),
      error: sluiceErrorShape.optional(),
    }),
  ),
  checks: z.array(
    z.object({
      nodeId: z.string(),
      check: z.string(),
      status: ruleStatus,
      rowsPassed: z.number(),
      rowsFailed: z.number(),
      message: z.string(),
      kind: z.enum(ruleKinds).optional(),
      severity: z.enum(severities).optional(),
      passRate: z.number().optional(),
    }),
  ),
  errors: z.array(sluiceErrorShape),
  logs: z.array(
    z.object({
      seq: z.number().int().min(1),
      at: time,
      level: z.enum(['info', 'warn', 'error']),
      nodeId: z.string().nullable(),
      message: z.string(),
    }),
  ),
})

/**
 * A whole project as one JSON file. Things refer to pipelines by name (ids are the file's own);
 * connections carry no secrets, only the secret's name.
 */
export const projectExportSchema = z.object({
  format: z.literal('sluice-project'),
  formatVersion: z.literal(1),
  exportedAt: time,
  project: z.object({
    name: z.string().trim().min(1),
    description: z.string().default(''),
    createdAt: time,
    /** As stored: relative to the project file where it can be. */
    stagingPath: z.string().min(1),
  }),
  pipelines: z.array(exportedPipeline),
  connections: z.array(connectionFieldsSchema),
  parameters: z.array(
    z.object({ name: z.string().min(1), value: z.string(), description: z.string().default('') }),
  ),
  schedules: z.array(
    z.object({
      pipeline: z.string().min(1),
      cron: z.string().min(1),
      timezone: z.string().min(1),
      enabled: z.boolean(),
      parameters: values,
      createdAt: time,
    }),
  ),
  watermarks: z.array(
    z.object({
      pipeline: z.string().min(1),
      nodeId: z.string().min(1),
      value: z.string(),
      runId: z.string().nullable(),
      updatedAt: time,
    }),
  ),
  runs: z.array(exportedRun).optional(),
})

/** A project export as written (and as read back once checked). */
export type ProjectExport = z.infer<typeof projectExportSchema>
export type ExportedPipeline = z.infer<typeof exportedPipeline>
export type ExportedRun = z.infer<typeof exportedRun>
