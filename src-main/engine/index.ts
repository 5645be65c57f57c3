/** The engine's public surface: a plain Node library (never Electron) used by the CLI and the service. */
export {
  openStaging,
  defaultMemoryLimit,
  type StagingDatabase,
  type StagingOptions,
} from './duckdb/staging'
export { executePipeline, type RunOptions } from './run/execute'
export { previewNode, withNodeRelation, type PreviewOptions } from './run/preview'
export { profileNode, profileRelation } from './run/profile'
export { planPipeline, type Plan, type PlannedNode } from './run/plan'
export { noQualityHistory, type QualityHistory, type PreviousInput } from './quality/history'
