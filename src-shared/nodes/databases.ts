import { z } from 'zod'
import { defineNodeKind, onePort } from './spec'

/** A connection of the project, by id (what the UI stores) or by name (handy in hand-written JSON). */
const connection = z.string().min(1, 'choose a connection')

export const databaseSourceConfig = z
  .strictObject({
    connection,
    /** Empty: the connection's default schema (PostgreSQL `public`, the MySQL database). */
    schema: z.string().default(''),
    /** Read this table, or else `query`. */
    table: z.string().default(''),
    /** A SELECT run on the server, instead of a table. */
    query: z.string().default(''),
    /** Columns to read; empty reads all. Sent to the server, so unread columns never travel. */
    columns: z.array(z.string().min(1)).default([]),
    /** A condition in the server's SQL dialect, sent to the server. */
    where: z.string().default(''),
    /**
     * Read only rows whose `column` is past the last successful run's high-water mark. `lookback`
     * re-reads a window before the mark for rows that arrive late: an interval such as
     * `2 hours` for timestamps, a number for increasing ids.
     */
    incremental: z
      .strictObject({
        column: z.string().min(1, 'name the watermark column'),
        lookback: z.string().default(''),
      })
      .nullable()
      .default(null),
  })
  .superRefine((config, context) => {
    const table = config.table.trim() !== ''
    const query = config.query.trim() !== ''
    if (table === query) {
      context.addIssue({
        code: 'custom',
        path: [table ? 'query' : 'table'],
        message: table ? 'choose a table or a query, not both' : 'choose a table or write a query',
      })
    }
  })

export const databaseSource = defineNodeKind({
  kind: 'source.database',
  family: 'source',
  title: 'Database table or query',
  help:
    'Reads a table or a query from a PostgreSQL, MySQL/MariaDB, SQLite or DuckDB connection. ' +
    'Chosen columns and the WHERE condition run on the server. Incremental mode reads only rows ' +
    'past the last successful run.',
  config: databaseSourceConfig,
  defaults: { connection: '', table: '' },
  inputs: () => [],
  outputs: () => [{ name: 'out', required: false, help: 'The rows read.' }],
})

export const writeModes = ['create', 'append', 'truncate', 'replace', 'upsert', 'mirror'] as const
export type WriteMode = (typeof writeModes)[number]

export const databaseSinkConfig = z
  .strictObject({
    connection,
    schema: z.string().default(''),
    table: z.string().min(1, 'name the table'),
    /**
     * create: a new table (fails if it exists); append; truncate: empty it, then insert;
     * replace: build a new table and swap it in; upsert: insert or update on `keys`;
     * mirror: upsert, then delete target rows whose keys are not in the input.
     */
    mode: z.enum(writeModes).default('append'),
    /** Key columns for upsert and mirror. */
    keys: z.array(z.string().min(1)).default([]),
    /** Create the table from the input's columns when it does not exist. */
    createMissing: z.boolean().default(true),
    /** SQL run before and after the write, inside its transaction where the database allows. */
    preSql: z.string().default(''),
    postSql: z.string().default(''),
  })
  .superRefine((config, context) => {
    if ((config.mode === 'upsert' || config.mode === 'mirror') && config.keys.length === 0) {
      context.addIssue({
        code: 'custom',
        path: ['keys'],
        message: `choose the key columns that ${config.mode} matches rows on`,
      })
    }
  })

export const databaseSink = defineNodeKind({
  kind: 'sink.database',
  family: 'sink',
  title: 'Push to database',
  help:
    'Writes to a PostgreSQL, MySQL/MariaDB, SQLite or DuckDB table: create, append, truncate, ' +
    'replace, upsert or mirror. Data is bulk-loaded into a staging table and merged in one ' +
    'transaction, so a failure or cancel leaves the target exactly as it was. A dry run reports ' +
    'the changes without making them.',
  config: databaseSinkConfig,
  defaults: { connection: '', table: '', mode: 'append' },
  inputs: () => onePort('in', 'The rows to write.'),
  outputs: () => [],
})
