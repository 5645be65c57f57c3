import { randomUUID } from 'node:crypto'
import { SluiceFailure, sluiceError } from '../../src-shared/errors'
import type { Schedule } from '../../src-shared/project'
import type { StoreDatabase } from './store-database'

interface ScheduleRow {
  id: string
  pipeline_id: string
  cron: string
  timezone: string
  enabled: number
  parameters: string
  created_at: string
}

/** Stored schedules; they go with their pipeline when it is deleted. */
export class ScheduleRepository {
  constructor(private readonly store: StoreDatabase) {}

  list(): Schedule[] {
    return this.store.read(() =>
      (
        this.store
          .statement('SELECT * FROM schedules ORDER BY created_at, id')
          .all() as ScheduleRow[]
      ).map(toSchedule),
    )
  }

  /** A new schedule; `PIPELINE_NOT_FOUND` if its pipeline is not in the project. */
  create(input: Omit<Schedule, 'id' | 'createdAt'> & { createdAt?: string }): Schedule {
    const schedule: Schedule = {
      id: randomUUID(),
      pipelineId: input.pipelineId,
      cron: input.cron,
      timezone: input.timezone,
      enabled: input.enabled,
      parameters: input.parameters,
      createdAt: input.createdAt ?? new Date().toISOString(),
    }
    this.store.write(() => {
      if (!this.store.statement('SELECT 1 FROM pipelines WHERE id = ?').get(input.pipelineId)) {
        throw new SluiceFailure(sluiceError('PIPELINE_NOT_FOUND', { pipeline: input.pipelineId }))
      }
      this.store
        .statement(
          `INSERT INTO schedules (id, pipeline_id, cron, timezone, enabled, parameters, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          schedule.id,
          schedule.pipelineId,
          schedule.cron,
          schedule.timezone,
          schedule.enabled ? 1 : 0,
          JSON.stringify(schedule.parameters),
          schedule.createdAt,
        )
    })
    return schedule
  }

  delete(id: string): void {
    this.store.write(() => {
      if (this.store.statement('DELETE FROM schedules WHERE id = ?').run(id).changes === 0) {
        throw new SluiceFailure(sluiceError('SCHEDULE_NOT_FOUND', { schedule: id }))
      }
    })
  }
}

function toSchedule(row: ScheduleRow): Schedule {
  return {
    id: row.id,
    pipelineId: row.pipeline_id,
    cron: row.cron,
    timezone: row.timezone,
    enabled: row.enabled === 1,
    parameters: JSON.parse(row.parameters) as Record<string, string>,
    createdAt: row.created_at,
  }
}
