import type { Migration } from './migration'

/**
 * Data quality: each check, validate and gate node keeps what it found (rule results, the score,
 * the input schema, a gate's decision) as JSON beside its stats, so the next run can compare row
 * counts and schemas and the trend chart can read scores; each rule's row in run_checks gains its
 * kind, severity and pass rate. Statuses are free text (no CHECK constraint), so `blocked` runs,
 * nodes and rules need no change to the tables.
 */
export const qualityResults: Migration = {
  version: 4,
  up(db) {
    db.exec(`
      ALTER TABLE run_nodes ADD COLUMN quality TEXT;
      ALTER TABLE run_checks ADD COLUMN kind TEXT;
      ALTER TABLE run_checks ADD COLUMN severity TEXT;
      ALTER TABLE run_checks ADD COLUMN pass_rate REAL;
    `)
  },
}
