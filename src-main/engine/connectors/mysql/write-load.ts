import type { DuckDBConnection } from '@duckdb/node-api'
import type { Connection, ResultSetHeader, RowDataPacket } from 'mysql2/promise'
import { quoteIdentifier } from '../database/identifiers'
import { serverErrno } from './failures'
import { exportSelect, loadDataFormat, type ExportColumn } from './write-export'

/** A column as loaded: its name in the table, how it is exported, and whether it is BIT. */
export interface LoadColumn {
  target: string
  exported: ExportColumn
  /** BIT columns take numbers, which LOAD DATA and string binding would read as characters. */
  bits: boolean
}

/** The name `LOAD DATA LOCAL INFILE` asks for; the session's stream factory answers it. */
export const infileToken = 'sluice-push.csv'

/** Errors that mean the server (or client) forbids `LOAD DATA LOCAL`. */
const localInfileRefused = new Set([1148, 3948, 2068, 4166])

/** Whether an error says `LOAD DATA LOCAL` is not allowed here. */
export function isLocalInfileRefused(thrown: unknown): boolean {
  const errno = serverErrno(thrown)
  return errno !== undefined && localInfileRefused.has(errno)
}

/** Column list and SET clause shared by LOAD DATA: hex and BIT values go through variables. */
function loadColumns(columns: LoadColumn[]): string {
  const targets: string[] = []
  const assignments: string[] = []
  columns.forEach((column, index) => {
    const name = quoteIdentifier('mysql', column.target)
    if (column.exported.hex || column.bits) {
      targets.push(`@v${index}`)
      assignments.push(
        `${name} = ${column.exported.hex ? `UNHEX(@v${index})` : `CAST(@v${index} AS UNSIGNED)`}`,
      )
    } else {
      targets.push(name)
    }
  })
  return `(${targets.join(', ')})${assignments.length > 0 ? ` SET ${assignments.join(', ')}` : ''}`
}

/** Warnings that do not mean lost or changed data (MySQL 8's deprecation notes). */
const harmlessWarnings = new Set([1287])

/**
 * Throws the first data warning of the last statement as an error. `LOAD DATA LOCAL` cannot
 * stop the client mid-file, so the server turns errors (a duplicate key, a value too long) into
 * warnings and skips or truncates the row; a push treats each one as the failure it is.
 */
export async function failOnWarnings(session: Connection, header: ResultSetHeader): Promise<void> {
  if (header.warningStatus === 0) {
    return
  }
  const [warnings] = await session.query<RowDataPacket[]>('SHOW WARNINGS LIMIT 20')
  const serious = warnings.filter((warning) => !harmlessWarnings.has(Number(warning.Code)))
  const first = serious[0]
  if (first) {
    const more = serious.length > 1 ? ` (and ${header.warningStatus - 1} more problems)` : ''
    throw Object.assign(new Error(`${String(first.Message)}${more}`), {
      errno: Number(first.Code),
    })
  }
}

/** `LOAD DATA LOCAL INFILE` of the exported CSV into `table`; returns the rows loaded. */
export async function loadCsv(
  session: Connection,
  table: string,
  columns: LoadColumn[],
): Promise<number> {
  const [header] = await session.query<ResultSetHeader>(
    `LOAD DATA LOCAL INFILE '${infileToken}' INTO TABLE ${table} ${loadDataFormat} ${loadColumns(columns)}`,
  )
  await failOnWarnings(session, header)
  return header.affectedRows
}

/** MySQL's limit on placeholders in one prepared statement. */
const maxPlaceholders = 65_535

/**
 * The fallback when `LOAD DATA LOCAL` is forbidden: multi-row INSERTs with bound values, each as
 * large as `max_allowed_packet` and the placeholder limit allow. Rows come from DuckDB in chunks
 * (never all at once) as text, which the server converts to each column's type.
 */
export async function insertRows(
  session: Connection,
  duckdb: DuckDBConnection,
  relation: string,
  table: string,
  columns: LoadColumn[],
  signal: AbortSignal,
  onRows: (rows: number) => void,
): Promise<number> {
  const [packetRows] = await session.query<RowDataPacket[]>('SELECT @@max_allowed_packet AS bytes')
  // Half the packet, for the protocol's own overhead and multi-byte text.
  const packetBudget = Math.max(Number(packetRows[0]?.bytes ?? 4_194_304) / 2, 65_536)
  const rowsPerStatement = Math.max(1, Math.floor(maxPlaceholders / Math.max(columns.length, 1)))
  const names = columns.map((column) => quoteIdentifier('mysql', column.target)).join(', ')
  const placeholders = columns
    .map((column) => (column.exported.hex ? 'UNHEX(?)' : column.bits ? 'CAST(? AS UNSIGNED)' : '?'))
    .join(', ')
  const rowSql = `(${placeholders})`
  const flush = async (values: Array<string | null>, rows: number): Promise<void> => {
    const sql = `INSERT INTO ${table} (${names}) VALUES ${Array(rows).fill(rowSql).join(', ')}`
    const [header] = await session.execute<ResultSetHeader>(sql, values)
    await failOnWarnings(session, header)
    // Each batch size is its own statement; keep only the current one prepared.
    session.unprepare(sql)
  }
  const result = await duckdb.stream(
    exportSelect(
      relation,
      columns.map((column) => column.exported),
      true,
    ),
  )
  let values: Array<string | null> = []
  let rows = 0
  let bytes = 0
  let total = 0
  for (;;) {
    if (signal.aborted) {
      throw new Error('cancelled')
    }
    const chunk = await result.fetchChunk()
    if (!chunk || chunk.rowCount === 0) {
      break
    }
    for (const row of chunk.getRows()) {
      for (const value of row) {
        const text = value === null ? null : String(value)
        values.push(text)
        bytes += (text?.length ?? 4) + 8
      }
      rows += 1
      if (rows >= rowsPerStatement || bytes >= packetBudget) {
        await flush(values, rows)
        total += rows
        onRows(total)
        values = []
        rows = 0
        bytes = 0
      }
    }
  }
  if (rows > 0) {
    await flush(values, rows)
    total += rows
    onRows(total)
  }
  return total
}
