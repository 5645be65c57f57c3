/**
 * How PostgreSQL types become DuckDB types when reading, and the other way round when a push
 * creates a table. TYPES.md beside this file is the same mapping as a table for the docs; keep
 * the two in step.
 */

/** How a column's bytes travel through the CSV between the two databases. */
export type Transfer =
  /** The server's text form is what DuckDB's CSV reader parses for the DuckDB type. */
  | 'plain'
  /** `\x0a1b…` hex text, decoded with `unhex` in DuckDB. */
  | 'bytea'
  /** Sent as `array_to_json(...)` text, so DuckDB gets JSON instead of `{a,b}` literals. */
  | 'array'
  /** Sent as `N months N days N microseconds`, the one interval form DuckDB parses. */
  | 'interval'
  /** Parsed as text, then cast to DuckDB's JSON type (which checks it). */
  | 'json'

/** A column as PostgreSQL describes it, enough to map it. */
export interface ServerColumnType {
  /** `format_type` of the column, with domains resolved to their base type. */
  serverType: string
  /** `pg_type.typcategory` of that type: `A` array, `E` enum, `N` numeric, … */
  category: string
}

/** Where a PostgreSQL column lands in DuckDB. */
export interface DuckdbMapping {
  duckdbType: string
  transfer: Transfer
  /** Set when the mapping loses something the user should know about. */
  warning?: string
}

/** DuckDB's DECIMAL holds at most 38 digits. */
const maxDecimalPrecision = 38

const exactTypes: Record<string, string> = {
  smallint: 'SMALLINT',
  integer: 'INTEGER',
  bigint: 'BIGINT',
  oid: 'BIGINT',
  real: 'FLOAT',
  'double precision': 'DOUBLE',
  boolean: 'BOOLEAN',
  text: 'VARCHAR',
  name: 'VARCHAR',
  date: 'DATE',
  uuid: 'UUID',
}

/** The DuckDB type a PostgreSQL column is staged as, and how its values travel. */
export function duckdbTypeFor(column: ServerColumnType): DuckdbMapping {
  const type = column.serverType.toLowerCase()
  if (column.category === 'A') {
    return { duckdbType: 'VARCHAR', transfer: 'array' }
  }
  const exact = exactTypes[type]
  if (exact) {
    return { duckdbType: exact, transfer: 'plain' }
  }
  const decimal = /^numeric\((\d+),(\d+)\)$/.exec(type)
  if (decimal) {
    const precision = Number(decimal[1])
    if (precision <= maxDecimalPrecision) {
      return { duckdbType: `DECIMAL(${precision},${decimal[2]})`, transfer: 'plain' }
    }
    // Text keeps every digit; a DOUBLE would silently round them. Casting is one step away.
    return {
      duckdbType: 'VARCHAR',
      transfer: 'plain',
      warning: `${column.serverType} has more than ${maxDecimalPrecision} digits, DuckDB's limit, so it is read as exact text`,
    }
  }
  if (type === 'numeric') {
    // Without a declared precision the values can have any number of digits, NaN and
    // ±Infinity; DOUBLE holds all of them, with 15–17 significant digits.
    return {
      duckdbType: 'DOUBLE',
      transfer: 'plain',
      warning: `numeric without a precision is read as DOUBLE (about 15 significant digits); declare numeric(p,s) to keep it exact`,
    }
  }
  if (type.startsWith('timestamp')) {
    return {
      duckdbType: type.endsWith('with time zone') ? 'TIMESTAMPTZ' : 'TIMESTAMP',
      transfer: 'plain',
    }
  }
  if (type.startsWith('time')) {
    return { duckdbType: type.endsWith('with time zone') ? 'TIMETZ' : 'TIME', transfer: 'plain' }
  }
  if (type.startsWith('interval')) {
    return { duckdbType: 'INTERVAL', transfer: 'interval' }
  }
  if (type === 'json' || type === 'jsonb') {
    return { duckdbType: 'JSON', transfer: 'json' }
  }
  if (type === 'bytea') {
    return { duckdbType: 'BLOB', transfer: 'bytea' }
  }
  // Enums, varchar(n), char(n), citext, inet, money, geometric types and the rest arrive as
  // their text form, which is what an analyst would see in psql.
  return { duckdbType: 'VARCHAR', transfer: 'plain' }
}

/**
 * The server-side expression that sends column `quoted` through COPY so DuckDB can parse it;
 * `quoted` is already a quoted identifier.
 */
export function exportExpression(quoted: string, transfer: Transfer): string {
  switch (transfer) {
    case 'array':
      return `array_to_json(${quoted})::text`
    case 'interval':
      // Months, days and microseconds are the three fields PostgreSQL stores; DuckDB stores the
      // same three, so the value arrives exactly.
      return (
        `(extract(year from ${quoted})::int8 * 12 + extract(month from ${quoted})::int8)::text` +
        ` || ' months ' || extract(day from ${quoted})::int8::text || ' days ' || ` +
        `((extract(hour from ${quoted})::int8 * 3600 + extract(minute from ${quoted})::int8 * 60)` +
        ` * 1000000 + extract(microseconds from ${quoted})::int8)::text || ' microseconds'`
      )
    default:
      return quoted
  }
}

/** The DuckDB type the CSV reader parses a column as, before `importExpression`. */
export function csvReadType(mapping: DuckdbMapping): string {
  return mapping.transfer === 'bytea' || mapping.transfer === 'json'
    ? 'VARCHAR'
    : mapping.duckdbType
}

/** The DuckDB expression that turns the CSV column `quoted` into its final type. */
export function importExpression(quoted: string, mapping: DuckdbMapping): string {
  switch (mapping.transfer) {
    case 'bytea':
      // `\x` then two hex digits a byte: PostgreSQL's bytea_output = hex, set on the session.
      return `unhex(substr(${quoted}, 3))`
    case 'json':
      return `${quoted}::JSON`
    default:
      return quoted
  }
}

const integerTypes: Record<string, string> = {
  TINYINT: 'smallint',
  UTINYINT: 'smallint',
  SMALLINT: 'smallint',
  USMALLINT: 'integer',
  INTEGER: 'integer',
  UINTEGER: 'bigint',
  BIGINT: 'bigint',
  UBIGINT: 'numeric(20,0)',
  HUGEINT: 'numeric(39,0)',
  UHUGEINT: 'numeric(39,0)',
}

const otherTypes: Record<string, string> = {
  BOOLEAN: 'boolean',
  FLOAT: 'real',
  DOUBLE: 'double precision',
  VARCHAR: 'text',
  JSON: 'jsonb',
  BLOB: 'bytea',
  DATE: 'date',
  TIME: 'time',
  'TIME WITH TIME ZONE': 'time with time zone',
  TIMESTAMP: 'timestamp',
  TIMESTAMP_S: 'timestamp',
  TIMESTAMP_MS: 'timestamp',
  TIMESTAMP_NS: 'timestamp',
  'TIMESTAMP WITH TIME ZONE': 'timestamp with time zone',
  INTERVAL: 'interval',
  UUID: 'uuid',
  BIGNUM: 'numeric',
  VARINT: 'numeric',
}

/** Whether a DuckDB type is nested (a list, struct, map, union), sent to PostgreSQL as JSON. */
export function isNestedDuckdbType(duckdbType: string): boolean {
  return /^(STRUCT|MAP|UNION)\(|\]$/.test(duckdbType)
}

/** The PostgreSQL type a push creates for a DuckDB column. */
export function postgresTypeFor(duckdbType: string): string {
  const type = duckdbType.toUpperCase()
  const known = integerTypes[type] ?? otherTypes[type]
  if (known) {
    return known
  }
  const decimal = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(type)
  if (decimal) {
    return `numeric(${decimal[1]},${decimal[2]})`
  }
  if (isNestedDuckdbType(type)) {
    return 'jsonb'
  }
  // ENUM(...), BIT and anything newer go as their text form.
  return 'text'
}

/**
 * The DuckDB expression that writes column `quoted` to the push CSV in a form PostgreSQL's COPY
 * parses for its column.
 */
export function pushExpression(quoted: string, duckdbType: string): string {
  const type = duckdbType.toUpperCase()
  if (type === 'BLOB') {
    return `'\\x' || hex(${quoted})`
  }
  if (isNestedDuckdbType(type)) {
    return `to_json(${quoted})`
  }
  return quoted
}

/**
 * Whether a column holds text, whose value `\.` alone on a line PostgreSQL's COPY reads as
 * end-of-data unless it is quoted: the push CSV quotes the values of a one-column input of it.
 */
export function pushNeedsQuotes(duckdbType: string): boolean {
  const type = duckdbType.toUpperCase()
  return (
    type === 'VARCHAR' || type === 'JSON' || type.startsWith('ENUM') || isNestedDuckdbType(type)
  )
}

/**
 * Why a DuckDB column cannot go into a PostgreSQL column of `category` (its `typcategory`) and
 * type `serverType`, or null when it can. Text goes anywhere (the server parses it and names
 * the row that fails); other types only where their values make sense.
 */
export function incompatibility(
  duckdbType: string,
  serverType: string,
  category: string,
): string | null {
  const type = duckdbType.toUpperCase()
  if (type === 'VARCHAR' || type.startsWith('ENUM') || category === 'S') {
    return null
  }
  const accepted = acceptedCategories(type, serverType)
  return accepted === null || accepted ? null : `${duckdbType} cannot be stored as ${serverType}`
}

/** Whether a DuckDB type fits a PostgreSQL type; null when unknown and left to the server. */
function acceptedCategories(type: string, serverType: string): boolean | null {
  const server = serverType.toLowerCase()
  if (integerTypes[type] || type === 'FLOAT' || type === 'DOUBLE' || type.startsWith('DECIMAL')) {
    return /^(smallint|integer|bigint|real|double precision|numeric|money|oid)/.test(server)
  }
  if (type === 'BOOLEAN') {
    return server === 'boolean'
  }
  if (type === 'DATE' || type.startsWith('TIMESTAMP')) {
    return /^(date|timestamp)/.test(server)
  }
  if (type.startsWith('TIME')) {
    return server.startsWith('time')
  }
  if (type === 'INTERVAL') {
    return server.startsWith('interval')
  }
  if (type === 'UUID') {
    return server === 'uuid'
  }
  if (type === 'BLOB') {
    return server === 'bytea'
  }
  if (type === 'JSON' || isNestedDuckdbType(type)) {
    return server === 'json' || server === 'jsonb'
  }
  return null
}
