/**
 * Node kinds by kind id with `.` replaced by `_` (`source.csv` → `source_csv`): the title and help
 * shown in the palette, on the canvas and in the config panel. English is the catalogue's own
 * text (src-shared/nodes); a unit test keeps the two equal.
 */
export const nodes = {
  families: {
    source: 'Sources',
    transform: 'Transforms',
    quality: 'Quality',
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
  source_excel: {
    title: 'Excel workbook',
    help:
      'Reads a sheet of an .xlsx workbook (or all of them), finding the header row below any notes. ' +
      'Column types come from the cells; formulas give their saved results.',
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
  'check_not-null': {
    title: 'Check: not null',
    help: 'Fails rows where any of the columns is NULL.',
  },
  check_unique: {
    title: 'Check: unique',
    help: 'Fails every row whose key (one or more columns) repeats.',
  },
  'check_accepted-values': {
    title: 'Check: accepted values',
    help: 'Fails rows whose value is not one of a list.',
  },
  check_range: {
    title: 'Check: range',
    help: 'Fails rows whose number, date or timestamp is outside [min, max].',
  },
  check_pattern: {
    title: 'Check: pattern',
    help: 'Fails rows whose text does not match a regular expression or a preset (email, phone, URL, ISO date, postcode).',
  },
  check_length: {
    title: 'Check: length',
    help: 'Fails rows whose text is shorter or longer than allowed.',
  },
  check_referential: {
    title: 'Check: referential integrity',
    help: 'Fails rows whose key is not found in a second input, e.g. trades whose account does not exist.',
  },
  'check_row-count': {
    title: 'Check: row count',
    help: 'Fails when the row count is outside bounds, or changed by more than a percentage since the last successful run.',
  },
  check_freshness: {
    title: 'Check: freshness',
    help: 'Fails when the newest date or timestamp in a column is older than N hours.',
  },
  check_outliers: {
    title: 'Check: outliers',
    help: 'Fails values far from the rest (z-score or IQR), optionally within groups.',
  },
  'check_schema-drift': {
    title: 'Check: schema drift',
    help: 'Fails when columns were added, removed or retyped since the last successful run.',
  },
  check_sql: {
    title: 'Check: SQL assertion',
    help: 'Fails rows where a SQL condition does not hold, or the run when an aggregate condition does not.',
  },
  quality_validate: {
    title: 'Validate (rule suite)',
    help: 'Applies many rules in as few passes over the data as possible, like a Great Expectations suite; a row that breaks several rules goes to `fail` once, with every reason. Rules import from and export to YAML.',
  },
  quality_gate: {
    title: 'Quality gate',
    help: 'Passes its input on unchanged, but when the quality score upstream is below the minimum or a named rule did not pass (it warned, failed or blocked), every push downstream is stopped and the run ends as blocked.',
  },
  sink_csv: {
    title: 'Write CSV',
    help: 'Writes a UTF-8 CSV file. Formula-like cells are escaped by default so Excel shows them as text.',
  },
  sink_parquet: {
    title: 'Write Parquet',
    help: 'Writes a Parquet file, keeping column types.',
  },
  sink_excel: {
    title: 'Write Excel',
    help:
      'Writes an .xlsx file with a styled, frozen header row and filters, number and date formats ' +
      'from the column types. Text is never run as a formula. Rows past Excel’s limit continue on ' +
      'numbered sheets.',
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
