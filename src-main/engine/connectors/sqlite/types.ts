/**
 * Type mapping between SQLite's declared types and DuckDB, both ways. SQLite stores values by
 * storage class (INTEGER, REAL, TEXT, BLOB) and keeps the declared type only as a hint, so the
 * mapping follows its column-affinity rules (https://sqlite.org/datatype3.html, 3.1). TYPES.md
 * holds the same rules as a table.
 */

/** SQLite's column affinity, decided from the declared type exactly as SQLite decides it. */
export type Affinity = 'integer' | 'text' | 'blob' | 'real' | 'numeric'

export function affinityOf(declared: string): Affinity {
  const upper = declared.toUpperCase()
  if (upper.includes('INT')) {
    return 'integer'
  }
  if (upper.includes('CHAR') || upper.includes('CLOB') || upper.includes('TEXT')) {
    return 'text'
  }
  if (upper.includes('BLOB') || upper.trim() === '') {
    return 'blob'
  }
  if (upper.includes('REAL') || upper.includes('FLOA') || upper.includes('DOUB')) {
    return 'real'
  }
  return 'numeric'
}

/**
 * How a column's values travel into DuckDB: the physical column they are appended to, and the
 * type that column is cast to at the end (with TRY_CAST, counting what failed), if any.
 */
export interface StagedType {
  raw: 'BIGINT' | 'DOUBLE' | 'VARCHAR' | 'BLOB'
  /** The final DuckDB type when it differs from `raw`. */
  cast?: string
  /** Dates and timestamps stored as numbers: SQLite's Unix-time and Julian-day conventions. */
  time?: 'date' | 'timestamp'
}

/**
 * The DuckDB type for a declared SQLite type, or null for a column without one (an expression
 * in a query, or a column declared without a type), whose type is read from its values.
 */
export function stagedTypeOf(declared: string | null): StagedType | null {
  // ANY in a STRICT table keeps every value as given: like no type at all.
  if (declared === null || declared.trim() === '' || declared.trim().toUpperCase() === 'ANY') {
    return null
  }
  const affinity = affinityOf(declared)
  if (affinity === 'integer') {
    return { raw: 'BIGINT' }
  }
  if (affinity === 'text') {
    return { raw: 'VARCHAR' }
  }
  if (affinity === 'blob') {
    return { raw: 'BLOB' }
  }
  if (affinity === 'real') {
    return { raw: 'DOUBLE' }
  }
  return numericStagedType(declared.toUpperCase().trim())
}

/** NUMERIC affinity holds SQLite's conventional names for dates, booleans and decimals. */
function numericStagedType(upper: string): StagedType {
  const decimal = /^(?:DECIMAL|NUMERIC)\s*\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)$/.exec(upper)
  if (decimal) {
    const precision = Number(decimal[1])
    const scale = Number(decimal[2] ?? 0)
    // DuckDB's DECIMAL stops at 38 digits; wider ones are read as DOUBLE.
    if (precision >= 1 && precision <= 38 && scale <= precision) {
      return { raw: 'VARCHAR', cast: `DECIMAL(${precision},${scale})` }
    }
    return { raw: 'DOUBLE' }
  }
  if (upper === 'DATE') {
    return { raw: 'VARCHAR', cast: 'DATE', time: 'date' }
  }
  if (upper === 'DATETIME' || upper === 'TIMESTAMP') {
    return { raw: 'VARCHAR', cast: 'TIMESTAMP', time: 'timestamp' }
  }
  if (upper === 'TIMESTAMPTZ' || upper === 'TIMESTAMP WITH TIME ZONE') {
    return { raw: 'VARCHAR', cast: 'TIMESTAMP WITH TIME ZONE', time: 'timestamp' }
  }
  if (upper === 'TIME') {
    return { raw: 'VARCHAR', cast: 'TIME' }
  }
  if (upper === 'BOOLEAN' || upper === 'BOOL') {
    return { raw: 'VARCHAR', cast: 'BOOLEAN' }
  }
  // Plain NUMERIC/DECIMAL (no precision) holds integers and reals alike.
  return { raw: 'DOUBLE' }
}

/** The DuckDB type a column is staged as, for browse. */
export function duckdbTypeOf(declared: string | null): string {
  const staged = stagedTypeOf(declared)
  if (!staged) {
    return 'BLOB (typeless: decided by the values read)'
  }
  return staged.cast ?? staged.raw
}

/** What a DuckDB input type is, for choosing its SQLite type, its binding and its checks. */
export type DuckdbFamily =
  | 'boolean'
  | 'integer'
  | 'wide-integer'
  | 'real'
  | 'decimal'
  | 'date'
  | 'timestamp'
  | 'timestamptz'
  | 'time'
  | 'text'
  | 'blob'
  | 'nested'

export function duckdbFamily(type: string): DuckdbFamily {
  const upper = type.toUpperCase()
  if (upper.endsWith(']') || /^(STRUCT|MAP|UNION)\b/.test(upper)) {
    return 'nested'
  }
  if (upper === 'BOOLEAN') {
    return 'boolean'
  }
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|UTINYINT|USMALLINT|UINTEGER)$/.test(upper)) {
    return 'integer'
  }
  if (/^(UBIGINT|HUGEINT|UHUGEINT|BIGNUM|VARINT)$/.test(upper)) {
    return 'wide-integer'
  }
  if (upper === 'FLOAT' || upper === 'DOUBLE' || upper === 'REAL') {
    return 'real'
  }
  if (upper.startsWith('DECIMAL')) {
    return 'decimal'
  }
  if (upper === 'DATE') {
    return 'date'
  }
  if (upper === 'TIMESTAMP WITH TIME ZONE' || upper === 'TIMESTAMPTZ') {
    return 'timestamptz'
  }
  if (upper.startsWith('TIMESTAMP')) {
    return 'timestamp'
  }
  if (upper.startsWith('TIME')) {
    return 'time'
  }
  if (upper === 'BLOB' || upper === 'BIT') {
    return 'blob'
  }
  return 'text'
}

/** The declared SQLite type of a column created for a DuckDB type (TYPES.md, "Writing"). */
export function sqliteTypeFor(duckdbType: string): string {
  const family = duckdbFamily(duckdbType)
  switch (family) {
    case 'boolean':
      return 'BOOLEAN'
    case 'integer':
    case 'wide-integer':
      return 'INTEGER'
    case 'real':
      return 'REAL'
    case 'decimal':
      return duckdbType.toUpperCase()
    case 'date':
      return 'DATE'
    case 'timestamp':
      return 'TIMESTAMP'
    case 'timestamptz':
      return 'TIMESTAMPTZ'
    case 'time':
      return 'TIME'
    case 'blob':
      return 'BLOB'
    default:
      return 'TEXT'
  }
}

/**
 * The DuckDB expression that turns `column` into something better-sqlite3 binds: a number, a
 * bigint, a string, bytes or null. Written in DuckDB, so the conversion is set-based.
 */
export function bindableExpression(quotedColumn: string, duckdbType: string): string {
  switch (duckdbFamily(duckdbType)) {
    case 'boolean':
      return `CAST(${quotedColumn} AS TINYINT)`
    case 'integer':
      return `CAST(${quotedColumn} AS BIGINT)`
    case 'wide-integer':
      // Beyond 64 bits the cast fails with DuckDB's out-of-range message, naming the value.
      return `CAST(${quotedColumn} AS BIGINT)`
    case 'real':
      return `CAST(${quotedColumn} AS DOUBLE)`
    case 'blob':
      return `CAST(${quotedColumn} AS BLOB)`
    case 'timestamptz':
      // Stored in UTC with SQLite's "Z" suffix, so it reads back the same in any time zone.
      return `CAST(timezone('UTC', ${quotedColumn}) AS VARCHAR) || 'Z'`
    case 'nested':
      return `CAST(to_json(${quotedColumn}) AS VARCHAR)`
    default:
      return `CAST(${quotedColumn} AS VARCHAR)`
  }
}

/**
 * Whether input values of `duckdbType` fit a target column declared `declared` (TYPES.md,
 * "Existing tables"). SQLite would store almost anything anywhere; these rules refuse what
 * would silently change meaning, such as text in an INTEGER column.
 */
export function fitsDeclaredType(duckdbType: string, declared: string): boolean {
  const family = duckdbFamily(duckdbType)
  const numeric = ['boolean', 'integer', 'wide-integer', 'real', 'decimal'].includes(family)
  switch (affinityOf(declared)) {
    case 'integer':
    case 'real':
      return numeric
    case 'numeric':
      return family !== 'blob' && family !== 'nested'
    case 'text':
      return family !== 'blob'
    default:
      return true
  }
}
