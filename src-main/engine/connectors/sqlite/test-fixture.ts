import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DuckDBConnection } from '@duckdb/node-api'
import type { ConnectionKind } from '../../../../src-shared/project'
import { queryRows } from '../../duckdb/query'
import { openStaging, type StagingDatabase } from '../../duckdb/staging'
import type { ReadRequest, ResolvedConnection, WriteRequest } from '../database/contract'

/** A temp folder and a staging DuckDB connection, for file-database driver tests. */
export interface FileDatabaseFixture {
  dir: string
  duckdb: DuckDBConnection
  connection(file: string, kind: ConnectionKind): ResolvedConnection
  /** Creates DuckDB table `name` from a SELECT and describes it as a push input. */
  input(name: string, select: string): Promise<WriteRequest['input']>
  rows(sql: string): Promise<Array<Record<string, unknown>>>
  readRequest(
    connection: ResolvedConnection,
    source: ReadRequest['source'],
    options?: Partial<ReadRequest>,
  ): ReadRequest
  writeRequest(
    connection: ResolvedConnection,
    input: WriteRequest['input'],
    options: Partial<WriteRequest>,
  ): WriteRequest
  close(): void
}

export async function createFileDatabaseFixture(): Promise<FileDatabaseFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-filedb-'))
  const staging: StagingDatabase = await openStaging({ path: ':memory:', memoryLimit: '512MB' })
  const duckdb = await staging.connect()
  const activity = () => ({
    nodeId: 'node1',
    signal: new AbortController().signal,
    progress: () => undefined,
    log: () => undefined,
  })
  let targets = 0
  return {
    dir,
    duckdb,
    connection: (file, kind) => ({
      id: 'c1',
      name: 'local',
      kind,
      host: '',
      port: 0,
      database: file,
      user: '',
      password: '',
      sslMode: 'disable',
      connectTimeoutMs: 2000,
    }),
    input: async (name, select) => {
      await duckdb.run(`CREATE OR REPLACE TABLE "${name}" AS ${select}`)
      const columns = await queryRows(duckdb, `DESCRIBE "${name}"`)
      return {
        ref: `"${name}"`,
        columns: columns.map((column) => ({
          name: String(column.column_name),
          type: String(column.column_type),
        })),
      }
    },
    rows: (sql) => queryRows(duckdb, sql),
    readRequest: (connection, source, options = {}) => {
      targets += 1
      return {
        ...activity(),
        connection,
        source,
        columns: [],
        where: '',
        incremental: null,
        duckdb,
        target: `"read_${targets}"`,
        workDir: dir,
        ...options,
      }
    },
    writeRequest: (connection, input, options) => ({
      ...activity(),
      connection,
      schema: '',
      table: 't',
      mode: 'append',
      keys: [],
      createMissing: true,
      preSql: '',
      postSql: '',
      dryRun: false,
      duckdb,
      input,
      workDir: dir,
      ...options,
    }),
    close: () => {
      duckdb.closeSync()
      staging.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
