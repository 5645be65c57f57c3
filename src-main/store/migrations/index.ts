import { firstSchema } from './001-first-schema'
import { schedulesWatermarksChecks } from './002-schedules-watermarks-checks'
import { pushesAndDryRuns } from './003-pushes-and-dry-runs'
import { qualityResults } from './004-quality-results'
import type { Migration } from './migration'

export type { Migration, MigrationContext } from './migration'

/** Every project schema step, in order; the last one's version is what this build writes. */
export const projectMigrations: readonly Migration[] = [
  firstSchema,
  schedulesWatermarksChecks,
  pushesAndDryRuns,
  qualityResults,
]
