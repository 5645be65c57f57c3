import type { Migration } from './migration'

/**
 * The first project schema. Document columns come last in their rows so that listing pipelines
 * and versions reads the small columns without walking the documents' overflow pages.
 */
export const firstSchema: Migration = {
  version: 1,
  up(db, { now }) {
    db.exec(`
      CREATE TABLE project_meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE pipelines (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        tags TEXT NOT NULL DEFAULT '[]',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        working_hash TEXT NOT NULL,
        working_document BLOB NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX pipelines_by_name ON pipelines (name COLLATE NOCASE);

      CREATE TABLE pipeline_versions (
        pipeline_id TEXT NOT NULL REFERENCES pipelines (id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        saved_at TEXT NOT NULL,
        message TEXT NOT NULL DEFAULT '',
        content_hash TEXT NOT NULL,
        document BLOB NOT NULL,
        PRIMARY KEY (pipeline_id, version)
      ) STRICT;

      CREATE TABLE connections (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        host TEXT,
        port INTEGER,
        database TEXT,
        user TEXT,
        options TEXT NOT NULL DEFAULT '{}',
        secret_ref TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX connections_by_name ON connections (name COLLATE NOCASE);

      CREATE TABLE parameters (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT ''
      ) STRICT;

      -- No foreign key to pipelines: a run stays in the history after its pipeline is deleted.
      CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        pipeline_id TEXT NOT NULL,
        pipeline_name TEXT NOT NULL,
        pipeline_version INTEGER,
        trigger TEXT NOT NULL,
        parameters TEXT NOT NULL DEFAULT '{}',
        started_at TEXT NOT NULL,
        ended_at TEXT,
        status TEXT NOT NULL,
        pid INTEGER,
        nodes_reused INTEGER NOT NULL DEFAULT 0,
        nodes_run INTEGER NOT NULL DEFAULT 0,
        error_message TEXT,
        errors TEXT NOT NULL DEFAULT '[]'
      ) STRICT;
      CREATE INDEX runs_by_start ON runs (started_at DESC, id DESC);
      CREATE INDEX runs_by_pipeline ON runs (pipeline_id, started_at DESC, id DESC);
      CREATE INDEX runs_running ON runs (status) WHERE status = 'running';

      CREATE TABLE run_nodes (
        run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        node_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        status TEXT NOT NULL,
        rows_in INTEGER NOT NULL,
        rows_out INTEGER NOT NULL,
        rows_rejected INTEGER NOT NULL,
        ms REAL NOT NULL,
        fingerprint TEXT NOT NULL,
        reused INTEGER NOT NULL,
        written TEXT,
        warnings TEXT NOT NULL DEFAULT '[]',
        error TEXT,
        UNIQUE (run_id, node_id)
      ) STRICT;

      CREATE TABLE run_logs (
        run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        at TEXT NOT NULL,
        level TEXT NOT NULL,
        node_id TEXT,
        message TEXT NOT NULL,
        PRIMARY KEY (run_id, seq)
      ) STRICT, WITHOUT ROWID;
    `)
    const insert = db.prepare('INSERT INTO project_meta (key, value) VALUES (?, ?)')
    insert.run('name', 'Untitled project')
    insert.run('description', '')
    insert.run('created_at', now)
    insert.run('updated_at', now)
  },
}
