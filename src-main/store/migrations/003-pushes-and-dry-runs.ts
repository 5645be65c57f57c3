import type { Migration } from './migration'

/**
 * Database pushes record what they changed (rows inserted, updated, deleted; DDL; a dry run's
 * samples) per node, and a run remembers whether it was a dry run, so history never mistakes a
 * rehearsal for a push.
 */
export const pushesAndDryRuns: Migration = {
  version: 3,
  up(db) {
    db.exec(`
      ALTER TABLE run_nodes ADD COLUMN push TEXT;
      ALTER TABLE runs ADD COLUMN dry_run INTEGER NOT NULL DEFAULT 0;
    `)
  },
}
