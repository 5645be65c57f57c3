import type { ColumnInfo } from '../nodes/executor'

/** What a check node saw in the pipeline's last successful run: for row-count and drift rules. */
export interface PreviousInput {
  rows: number
  schema: ColumnInfo[]
}

/**
 * The engine's view of earlier runs, given by the service from the project store. Row-count
 * change and schema-drift rules compare with it; with no earlier run they pass and say so.
 */
export interface QualityHistory {
  previous(nodeId: string): Promise<PreviousInput | null>
}

/** For runs outside a project (tests, previews): there is no history. */
export const noQualityHistory: QualityHistory = { previous: () => Promise.resolve(null) }
