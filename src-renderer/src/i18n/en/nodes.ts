/**
 * Node kinds by kind id with `.` replaced by `_` (`source.csv` → `source_csv`): the title and help
 * shown in the palette, on the canvas and in the config panel. English is the catalogue's own
 * text (src-shared/nodes); a unit test keeps the two equal.
 */
export const nodes = {
  families: {
    source: 'Sources',
    transform: 'Transforms',
    sink: 'Outputs',
  },
  source_csv: {
    title: 'CSV / TSV file',
    help:
      'Reads a delimited text file. Delimiter, types and encoding are detected unless set. Rows that ' +
      'cannot be parsed go to the rejects output with their line number and reason.',
  },
  source_json: {
    title: 'JSON / NDJSON file',
    help: 'Reads a JSON array of objects or newline-delimited JSON; nested values stay as structs/lists.',
  },
  source_parquet: {
    title: 'Parquet file',
    help: 'Reads a Parquet file with its stored schema.',
  },
  source_folder: {
    title: 'Folder of files',
    help:
      'Reads every file matching a pattern into one table, matching columns by name, and adds a ' +
      'column naming the file each row came from.',
  },
  transform_select: {
    title: 'Select / rename / reorder',
    help: 'Keeps the listed columns in the listed order, renaming those given a new name.',
  },
  transform_filter: {
    title: 'Filter rows',
    help: "Keeps rows where a SQL condition is true, e.g. `amount > 0 AND status <> 'void'`.",
  },
  transform_derive: {
    title: 'Derive column',
    help: 'Adds (or replaces) columns computed by SQL expressions over the input columns.',
  },
  transform_cast: {
    title: 'Change type',
    help: 'Converts columns to another type; values that do not convert fail the run or become NULL.',
  },
  transform_fill: {
    title: 'Fill missing values',
    help: 'Replaces NULLs with a constant, the previous non-null value, the column mean, or its mode.',
  },
  transform_dedupe: {
    title: 'Remove duplicates',
    help: 'Keeps one row per key (or per identical row), the first or last by an order column.',
  },
  transform_sort: {
    title: 'Sort',
    help: 'Orders rows by one or more columns.',
  },
  transform_limit: {
    title: 'Limit / sample',
    help: 'Keeps the first N rows, or a reproducible random sample of N rows or P percent.',
  },
  transform_sql: {
    title: 'Custom SQL',
    help:
      'A DuckDB SELECT over the inputs, each read by its port name as a table, e.g. ' +
      '`SELECT * FROM orders o JOIN customers c USING (customer_id)`.',
  },
  sink_csv: {
    title: 'Write CSV',
    help: 'Writes a UTF-8 CSV file. Formula-like cells are escaped by default so Excel shows them as text.',
  },
  sink_parquet: {
    title: 'Write Parquet',
    help: 'Writes a Parquet file, keeping column types.',
  },
  sink_json: {
    title: 'Write JSON',
    help: 'Writes newline-delimited JSON (one object per line) or one JSON array.',
  },
  sink_duckdb: {
    title: 'Write DuckDB table',
    help:
      'Writes a table into a DuckDB database file: replace it, append to it, or create it (failing ' +
      'if it exists). The write is atomic: a failure leaves the table as it was.',
  },
  source_database: {
    title: 'Database table or query',
    help:
      'Reads a table or a query from a PostgreSQL, MySQL/MariaDB, SQLite or DuckDB connection. ' +
      'Chosen columns and the WHERE condition run on the server. Incremental mode reads only rows ' +
      'past the last successful run.',
  },
  sink_database: {
    title: 'Push to database',
    help:
      'Writes to a PostgreSQL, MySQL/MariaDB, SQLite or DuckDB table: create, append, truncate, ' +
      'replace, upsert or mirror. Data is bulk-loaded into a staging table and merged in one ' +
      'transaction, so a failure or cancel leaves the target exactly as it was. A dry run reports ' +
      'the changes without making them.',
  },
}
