import type { Migration } from './migration'

/**
 * Schedules, incremental-source watermarks and per-check run results, plus where the project's
 * DuckDB staging file lives (relative to the project file, so a moved folder keeps working).
 */
export const schedulesWatermarksChecks: Migration = {
  version: 2,
  up(db, { baseName }) {
    db.exec(`
      CREATE TABLE schedules (
        id TEXT PRIMARY KEY,
        pipeline_id TEXT NOT NULL REFERENCES pipelines (id) ON DELETE CASCADE,
        cron TEXT NOT NULL,
        timezone TEXT NOT NULL,
        enabled INTEGER NOT NULL,
        parameters TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX schedules_by_pipeline ON schedules (pipeline_id);

      CREATE TABLE watermarks (
        pipeline_id TEXT NOT NULL REFERENCES pipelines (id) ON DELETE CASCADE,
        node_id TEXT NOT NULL,
        value TEXT NOT NULL,
        run_id TEXT,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (pipeline_id, node_id)
      ) STRICT;

      CREATE TABLE run_checks (
        run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        node_id TEXT NOT NULL,
        check_name TEXT NOT NULL,
        status TEXT NOT NULL,
        rows_passed INTEGER NOT NULL,
        rows_failed INTEGER NOT NULL,
        message TEXT NOT NULL
      ) STRICT;
      CREATE INDEX run_checks_by_run ON run_checks (run_id);
    `)
    db.prepare("INSERT INTO project_meta (key, value) VALUES ('staging_path', ?)").run(
      `${baseName}.staging/staging.duckdb`,
    )
  },
}
