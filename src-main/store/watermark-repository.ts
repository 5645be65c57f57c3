import { SluiceFailure, sluiceError } from '../../src-shared/errors'
import type { Watermark } from '../../src-shared/project'
import type { StoreDatabase } from './store-database'

interface WatermarkRow {
  pipeline_id: string
  node_id: string
  value: string
  run_id: string | null
  updated_at: string
}

/** How far each incremental source node has read, per pipeline. */
export class WatermarkRepository {
  constructor(private readonly store: StoreDatabase) {}

  get(pipelineId: string, nodeId: string): Watermark | undefined {
    return this.store.read(() => {
      const row = this.store
        .statement('SELECT * FROM watermarks WHERE pipeline_id = ? AND node_id = ?')
        .get(pipelineId, nodeId) as WatermarkRow | undefined
      return row ? toWatermark(row) : undefined
    })
  }

  /** Creates or moves the node's watermark. */
  set(watermark: Omit<Watermark, 'updatedAt'> & { updatedAt?: string }): Watermark {
    const stored: Watermark = {
      pipelineId: watermark.pipelineId,
      nodeId: watermark.nodeId,
      value: watermark.value,
      runId: watermark.runId,
      updatedAt: watermark.updatedAt ?? new Date().toISOString(),
    }
    this.store.write(() => {
      if (!this.store.statement('SELECT 1 FROM pipelines WHERE id = ?').get(stored.pipelineId)) {
        throw new SluiceFailure(sluiceError('PIPELINE_NOT_FOUND', { pipeline: stored.pipelineId }))
      }
      this.store
        .statement(
          `INSERT INTO watermarks (pipeline_id, node_id, value, run_id, updated_at)
           VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (pipeline_id, node_id) DO UPDATE SET value = excluded.value,
             run_id = excluded.run_id, updated_at = excluded.updated_at`,
        )
        .run(stored.pipelineId, stored.nodeId, stored.value, stored.runId, stored.updatedAt)
    })
    return stored
  }

  list(pipelineId: string): Watermark[] {
    return this.store.read(() =>
      (
        this.store
          .statement('SELECT * FROM watermarks WHERE pipeline_id = ? ORDER BY node_id')
          .all(pipelineId) as WatermarkRow[]
      ).map(toWatermark),
    )
  }
}

function toWatermark(row: WatermarkRow): Watermark {
  return {
    pipelineId: row.pipeline_id,
    nodeId: row.node_id,
    value: row.value,
    runId: row.run_id,
    updatedAt: row.updated_at,
  }
}
