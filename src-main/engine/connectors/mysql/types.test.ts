import { describe, expect, it } from 'vitest'
import { lookbackExpression } from './read-sql'
import { duckdbTypeFor, fieldType, isWritable, mysqlTypeFor, parseColumnType } from './types'

describe('MySQL column types', () => {
  it.each([
    ['tinyint(1)', 'BOOLEAN'],
    ['tinyint(4)', 'TINYINT'],
    ['tinyint(3) unsigned', 'UTINYINT'],
    ['bigint(20) unsigned', 'UBIGINT'],
    ['mediumint(8) unsigned', 'INTEGER'],
    ['decimal(38,10)', 'DECIMAL(38,10)'],
    ['decimal(65,30)', 'VARCHAR'],
    ['datetime(6)', 'TIMESTAMP'],
    ['timestamp', 'TIMESTAMPTZ'],
    ['time(3)', 'TIME'],
    ['year(4)', 'SMALLINT'],
    ['json', 'JSON'],
    ["enum('a','b')", 'VARCHAR'],
    ["set('a','b')", 'VARCHAR'],
    ['bit(12)', 'UBIGINT'],
    ['binary(16)', 'BLOB'],
    ['longblob', 'BLOB'],
    ['uuid', 'UUID'],
    ['point', 'BLOB'],
    ['inet6', 'VARCHAR'],
  ])('stages %s as %s', (columnType, duckdb) => {
    expect(duckdbTypeFor(parseColumnType(columnType))).toBe(duckdb)
  })

  it('reads the same types from result fields as from information_schema', () => {
    // decimal(40,5): display length counts the sign and the point.
    expect(fieldType({ columnType: 246, columnLength: 42, decimals: 5, flags: 0 })).toEqual({
      base: 'decimal',
      unsigned: false,
      precision: 40,
      scale: 5,
    })
    expect(duckdbTypeFor(fieldType({ columnType: 252, characterSet: 45, flags: 16 }))).toBe(
      'VARCHAR',
    )
    expect(duckdbTypeFor(fieldType({ columnType: 252, characterSet: 63, flags: 144 }))).toBe('BLOB')
    expect(duckdbTypeFor(fieldType({ columnType: 254, characterSet: 45, flags: 256 }))).toBe(
      'VARCHAR',
    )
    expect(duckdbTypeFor(fieldType({ columnType: 8, flags: 32 }))).toBe('UBIGINT')
    expect(duckdbTypeFor(fieldType({ columnType: 1, columnLength: 1 }))).toBe('BOOLEAN')
  })

  it('creates MySQL columns from DuckDB types, with indexable keys', () => {
    expect(mysqlTypeFor('TIMESTAMP WITH TIME ZONE')).toBe('DATETIME(6)')
    expect(mysqlTypeFor('DECIMAL(18,4)')).toBe('DECIMAL(18,4)')
    expect(mysqlTypeFor('UBIGINT')).toBe('BIGINT UNSIGNED')
    expect(mysqlTypeFor('VARCHAR')).toBe('LONGTEXT')
    expect(mysqlTypeFor('VARCHAR', { chars: 320 })).toBe('VARCHAR(320)')
    expect(mysqlTypeFor('INTEGER[]')).toBe('LONGTEXT')
  })

  it('decides which input types an existing column takes', () => {
    expect(isWritable('VARCHAR', parseColumnType('int'))).toBe(true)
    expect(isWritable('BIGINT', parseColumnType('varchar(10)'))).toBe(true)
    expect(isWritable('BLOB', parseColumnType('date'))).toBe(false)
    expect(isWritable('DATE', parseColumnType('int'))).toBe(false)
    expect(isWritable('BOOLEAN', parseColumnType('tinyint(1)'))).toBe(true)
    expect(isWritable('STRUCT(a INTEGER)', parseColumnType('json'))).toBe(true)
  })
})

describe('look-back windows', () => {
  it('binds the amount and takes the unit from a fixed list', () => {
    expect(lookbackExpression('')).toBeNull()
    expect(lookbackExpression('500')).toEqual({ sql: ' - ?', values: ['500'] })
    expect(lookbackExpression('2 hours')).toEqual({ sql: ' - INTERVAL ? HOUR', values: ['2'] })
    expect(lookbackExpression('1 day')).toEqual({ sql: ' - INTERVAL ? DAY', values: ['1'] })
    expect(() => lookbackExpression('1 HOUR); DROP TABLE x; --')).toThrow(/not a number/)
  })
})
