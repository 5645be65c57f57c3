/**
 * MySQL/MariaDB ↔ DuckDB types. TYPES.md beside this file is the same mapping as a table, for the
 * docs; keep them in step.
 */

/** A server column type, from `information_schema.COLUMNS.COLUMN_TYPE` or a result's field. */
export interface MysqlType {
  /** Lower-case base name: `int`, `decimal`, `varchar`, `enum`, `uuid`, ... */
  base: string
  unsigned: boolean
  /** Display width (`tinyint(1)`), character length or bit count. */
  length?: number
  precision?: number
  scale?: number
}

/** Parses a `COLUMN_TYPE` such as `bigint(20) unsigned`, `decimal(40,5)` or `enum('a','b')`. */
export function parseColumnType(columnType: string): MysqlType {
  const text = columnType.trim().toLowerCase()
  const match = /^([a-z0-9_]+)\s*(?:\(([^)]*)\))?(.*)$/.exec(text)
  const base = match?.[1] ?? text
  const args = match?.[2] ?? ''
  const rest = match?.[3] ?? ''
  const unsigned = /\bunsigned\b/.test(rest)
  if (base === 'decimal' || base === 'numeric' || base === 'dec' || base === 'fixed') {
    const [precision = '10', scale = '0'] = args.split(',')
    return { base: 'decimal', unsigned, precision: Number(precision), scale: Number(scale) }
  }
  const length = /^\d+$/.test(args) ? Number(args) : undefined
  return { base, unsigned, ...(length === undefined ? {} : { length }) }
}

/** mysql2's description of a result column (`FieldPacket`), the part the mapping needs. */
export interface ResultField {
  columnType?: number
  columnLength?: number
  flags?: number | string[]
  decimals?: number
  characterSet?: number
  /** MariaDB's extended metadata, e.g. `uuid`, `inet6`. */
  extendedTypeName?: string
}

const binaryCharset = 63
const unsignedFlag = 32
const enumFlag = 256
const setFlag = 2048

/** Protocol type codes (`MYSQL_TYPE_*`) → base names. */
const protocolTypes: Record<number, string> = {
  0: 'decimal',
  1: 'tinyint',
  2: 'smallint',
  3: 'int',
  4: 'float',
  5: 'double',
  6: 'null',
  7: 'timestamp',
  8: 'bigint',
  9: 'mediumint',
  10: 'date',
  11: 'time',
  12: 'datetime',
  13: 'year',
  14: 'date',
  15: 'varchar',
  16: 'bit',
  17: 'timestamp',
  18: 'datetime',
  19: 'time',
  245: 'json',
  246: 'decimal',
  247: 'enum',
  248: 'set',
  249: 'blob',
  250: 'blob',
  251: 'blob',
  252: 'blob',
  253: 'varchar',
  254: 'char',
  255: 'geometry',
}

/** Describes a result column, so queries and tables map alike. */
export function fieldType(field: ResultField): MysqlType {
  const flags = typeof field.flags === 'number' ? field.flags : 0
  const unsigned = (flags & unsignedFlag) !== 0
  const binary = field.characterSet === binaryCharset
  const extended = field.extendedTypeName?.toLowerCase()
  if (extended === 'uuid' || extended === 'json') {
    return { base: extended, unsigned: false }
  }
  let base = protocolTypes[field.columnType ?? 253] ?? 'varchar'
  if ((flags & enumFlag) !== 0) {
    base = 'enum'
  } else if ((flags & setFlag) !== 0) {
    base = 'set'
  } else if (base === 'blob' || base === 'varchar' || base === 'char') {
    // TEXT and BLOB share protocol codes; only the character set tells them apart.
    base = binary ? (base === 'blob' ? 'blob' : 'varbinary') : base === 'blob' ? 'text' : base
  }
  const length = field.columnLength ?? 0
  if (base === 'decimal') {
    const scale = field.decimals ?? 0
    // The display length counts the sign and the decimal point.
    const precision = length - (scale > 0 ? 1 : 0) - (unsigned ? 0 : 1)
    return { base, unsigned, precision: Math.max(precision, 1), scale }
  }
  return { base, unsigned, length }
}

/** Widest DECIMAL DuckDB holds; MySQL allows 65 digits. */
const duckdbMaxDecimalDigits = 38

/** The DuckDB type a MySQL column is staged as. */
export function duckdbTypeFor(type: MysqlType): string {
  const { base, unsigned } = type
  switch (base) {
    case 'bool':
    case 'boolean':
      return 'BOOLEAN'
    case 'tinyint':
      return type.length === 1 ? 'BOOLEAN' : unsigned ? 'UTINYINT' : 'TINYINT'
    case 'smallint':
      return unsigned ? 'USMALLINT' : 'SMALLINT'
    case 'mediumint':
      return 'INTEGER'
    case 'int':
    case 'integer':
      return unsigned ? 'UINTEGER' : 'INTEGER'
    case 'bigint':
      return unsigned ? 'UBIGINT' : 'BIGINT'
    case 'decimal': {
      const precision = type.precision ?? 10
      // Wider decimals stay exact as text rather than lose digits as DOUBLE.
      return precision > duckdbMaxDecimalDigits
        ? 'VARCHAR'
        : `DECIMAL(${precision},${type.scale ?? 0})`
    }
    case 'float':
      return 'FLOAT'
    case 'double':
    case 'real':
      return 'DOUBLE'
    case 'bit':
      return 'UBIGINT'
    case 'date':
      return 'DATE'
    case 'datetime':
      return 'TIMESTAMP'
    case 'timestamp':
      return 'TIMESTAMPTZ'
    case 'time':
      return 'TIME'
    case 'year':
      return 'SMALLINT'
    case 'json':
      return 'JSON'
    case 'uuid':
      return 'UUID'
    case 'binary':
    case 'varbinary':
    case 'tinyblob':
    case 'blob':
    case 'mediumblob':
    case 'longblob':
    case 'geometry':
    case 'point':
    case 'linestring':
    case 'polygon':
    case 'multipoint':
    case 'multilinestring':
    case 'multipolygon':
    case 'geometrycollection':
      return 'BLOB'
    default:
      // char, varchar, the text types, enum, set, inet4/inet6 and anything newer.
      return 'VARCHAR'
  }
}

/** How a value arrives from mysql2, which decides how the read appends it. */
export type WireKind = 'number' | 'text' | 'bytes' | 'bits'

/**
 * mysql2 gives JavaScript numbers for the integer types up to INT and for FLOAT/DOUBLE (exact:
 * all fit a double), Buffers for binary strings and BIT, and strings for everything else
 * (BIGINT and DECIMAL as exact text, dates and times as text).
 */
export function wireKindFor(type: MysqlType): WireKind {
  switch (type.base) {
    case 'tinyint':
    case 'smallint':
    case 'mediumint':
    case 'int':
    case 'integer':
    case 'year':
    case 'float':
    case 'double':
    case 'real':
      return 'number'
    case 'bit':
      return 'bits'
    default:
      return duckdbTypeFor(type) === 'BLOB' ? 'bytes' : 'text'
  }
}

/** A DuckDB column as the write sees it: its name and type. */
export interface DuckdbColumn {
  name: string
  type: string
}

/** Key columns must be indexable: InnoDB indexes at most 3072 bytes, 768 utf8mb4 characters. */
export const maxKeyChars = 768

/**
 * The MySQL column type to create for a DuckDB type. Text becomes LONGTEXT (any length fits)
 * except in key columns, which an index needs as VARCHAR of a known length (`keyChars`).
 * TIMESTAMPTZ becomes DATETIME(6) holding UTC: MySQL's TIMESTAMP ends in 2038.
 */
export function mysqlTypeFor(duckdbType: string, key: { chars: number } | null = null): string {
  const type = duckdbType.toUpperCase()
  const decimal = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(type)
  if (decimal) {
    return `DECIMAL(${decimal[1]},${decimal[2]})`
  }
  switch (type) {
    case 'BOOLEAN':
      return 'TINYINT(1)'
    case 'TINYINT':
      return 'TINYINT'
    case 'SMALLINT':
      return 'SMALLINT'
    case 'INTEGER':
      return 'INT'
    case 'BIGINT':
      return 'BIGINT'
    case 'UTINYINT':
      return 'TINYINT UNSIGNED'
    case 'USMALLINT':
      return 'SMALLINT UNSIGNED'
    case 'UINTEGER':
      return 'INT UNSIGNED'
    case 'UBIGINT':
      return 'BIGINT UNSIGNED'
    case 'HUGEINT':
    case 'UHUGEINT':
      return 'DECIMAL(39,0)'
    case 'FLOAT':
      return 'FLOAT'
    case 'DOUBLE':
      return 'DOUBLE'
    case 'DATE':
      return 'DATE'
    case 'TIMESTAMP':
    case 'TIMESTAMP_S':
    case 'TIMESTAMP_MS':
    case 'TIMESTAMP_NS':
    case 'TIMESTAMP WITH TIME ZONE':
    case 'TIMESTAMPTZ':
      return 'DATETIME(6)'
    case 'TIME':
      return 'TIME(6)'
    case 'UUID':
      return 'CHAR(36)'
    case 'JSON':
      return 'JSON'
    case 'BLOB':
      return key ? `VARBINARY(${Math.max(key.chars, 1)})` : 'LONGBLOB'
    default:
      // VARCHAR, and what MySQL has no type for (INTERVAL, TIME WITH TIME ZONE, lists, structs,
      // maps) as their DuckDB text.
      return key ? `VARCHAR(${Math.max(key.chars, 1)})` : 'LONGTEXT'
  }
}

/** DuckDB types written as JSON text: MySQL has no arrays, structs or maps. */
export function isNestedDuckdbType(duckdbType: string): boolean {
  return /(\[\]|\[\d+\])$|^(STRUCT|MAP|UNION)\(/i.test(duckdbType.trim())
}

/** Families used to decide whether an input column can be written into an existing column. */
export type TypeFamily = 'number' | 'boolean' | 'text' | 'temporal' | 'binary' | 'json' | 'other'

/** The family of a MySQL column type. */
export function mysqlFamily(type: MysqlType): TypeFamily {
  const duckdb = duckdbTypeFor(type)
  if (duckdb === 'BOOLEAN') {
    return 'number'
  }
  if (duckdb === 'BLOB') {
    return 'binary'
  }
  if (duckdb === 'JSON') {
    return 'json'
  }
  if (['DATE', 'TIMESTAMP', 'TIMESTAMPTZ', 'TIME'].includes(duckdb)) {
    return 'temporal'
  }
  if (duckdb === 'VARCHAR' || duckdb === 'UUID') {
    return type.base === 'decimal' ? 'number' : 'text'
  }
  return 'number'
}

/** The family of a DuckDB type. */
export function duckdbFamily(duckdbType: string): TypeFamily {
  const type = duckdbType.toUpperCase()
  if (isNestedDuckdbType(type)) {
    return 'json'
  }
  if (type === 'BOOLEAN') {
    return 'boolean'
  }
  if (/^(U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?|FLOAT|DOUBLE|DECIMAL.*)$/.test(type)) {
    return 'number'
  }
  if (/^(DATE|TIME.*)$/.test(type)) {
    return 'temporal'
  }
  if (type === 'BLOB') {
    return 'binary'
  }
  if (type === 'JSON') {
    return 'json'
  }
  return type === 'VARCHAR' || type === 'UUID' ? 'text' : 'other'
}

/**
 * Whether input of a DuckDB type can go into a MySQL column: text goes anywhere (the server
 * checks each value and names the row that does not fit); other kinds only into their own kind
 * or into text.
 */
export function isWritable(duckdbType: string, target: MysqlType): boolean {
  const from = duckdbFamily(duckdbType)
  const to = mysqlFamily(target)
  if (from === 'text' || from === 'other' || to === 'text') {
    return from !== 'binary' || to === 'text'
  }
  if (from === 'boolean') {
    return to === 'number'
  }
  if (from === 'json') {
    return to === 'json'
  }
  return from === to
}
