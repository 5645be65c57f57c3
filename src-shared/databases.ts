import { z } from 'zod'

/** How TLS is used, as in libpq's `sslmode`. MySQL maps them onto its own options. */
export const sslModes = ['disable', 'prefer', 'require', 'verify-ca', 'verify-full'] as const
export type SslMode = (typeof sslModes)[number]

/**
 * The keys a connection's `options` may hold, with their defaults. Stored as the connection's
 * free-form options so older projects need no migration.
 */
export const connectionOptionsSchema = z.object({
  sslMode: z.enum(sslModes).default('prefer'),
  /** A PEM file of the certificate authority that signed the server's certificate. */
  sslCaFile: z.string().default(''),
  connectTimeoutSeconds: z.number().int().min(1).max(600).default(15),
})
export type ConnectionOptions = z.output<typeof connectionOptionsSchema>

/** What `Test connection` tells the user when it works. */
export interface ConnectionTestResult {
  serverVersion: string
  ms: number
}

/** One level of the browse tree: schemas, then tables in a schema, then columns of a table. */
export type BrowseEntry =
  | { type: 'schema'; name: string }
  | { type: 'table'; schema: string; name: string; view: boolean; estimatedRows: number | null }
  | {
      type: 'column'
      name: string
      /** The server's own type name, e.g. `numeric(12,2)` or `varchar(40)`. */
      serverType: string
      /** The DuckDB type a source stages it as. */
      duckdbType: string
      nullable: boolean
      primaryKey: boolean
    }

/** Where the browse tree is: nothing for schemas, a schema for its tables, both for columns. */
export interface BrowsePath {
  schema?: string
  table?: string
}

/** Up to a few rows of each kind of change, for a dry run's report. */
export interface ChangeSamples {
  insert: Array<Record<string, unknown>>
  update: Array<Record<string, unknown>>
  delete: Array<Record<string, unknown>>
}

/** What a push did, or in a dry run would do, to its target table. */
export interface PushReport {
  /** How the target is named, e.g. `sales (postgres) public.orders`. */
  target: string
  dryRun: boolean
  inserted: number
  updated: number
  deleted: number
  /** The DDL that ran (or would run): CREATE TABLE, renames for a swap. */
  ddl: string[]
  /** Dry runs: a sample of the rows each change touches. */
  samples?: ChangeSamples
}
