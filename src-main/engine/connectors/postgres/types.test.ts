import { expect, it } from 'vitest'
import { duckdbTypeFor, incompatibility, postgresTypeFor, pushExpression } from './types'

it('maps numeric precisely when DuckDB can hold it, and says so when it cannot', () => {
  expect(duckdbTypeFor({ serverType: 'numeric(38,10)', category: 'N' })).toEqual({
    duckdbType: 'DECIMAL(38,10)',
    transfer: 'plain',
  })
  expect(duckdbTypeFor({ serverType: 'numeric(39,2)', category: 'N' })).toMatchObject({
    duckdbType: 'VARCHAR',
    warning: expect.stringContaining('exact text'),
  })
  expect(duckdbTypeFor({ serverType: 'numeric', category: 'N' })).toMatchObject({
    duckdbType: 'DOUBLE',
    warning: expect.stringContaining('DOUBLE'),
  })
})

it('maps time types, arrays, enums and the rest', () => {
  const duckdb = (serverType: string, category = 'D') =>
    duckdbTypeFor({ serverType, category }).duckdbType
  expect(duckdb('timestamp(3) without time zone')).toBe('TIMESTAMP')
  expect(duckdb('timestamp with time zone')).toBe('TIMESTAMPTZ')
  expect(duckdb('time without time zone')).toBe('TIME')
  expect(duckdb('time(6) with time zone')).toBe('TIMETZ')
  expect(duckdb('interval', 'T')).toBe('INTERVAL')
  expect(duckdb('integer[]', 'A')).toBe('VARCHAR')
  expect(duckdbTypeFor({ serverType: 'integer[]', category: 'A' }).transfer).toBe('array')
  expect(duckdb('public.mood', 'E')).toBe('VARCHAR')
  expect(duckdb('inet', 'I')).toBe('VARCHAR')
})

it('creates PostgreSQL columns for DuckDB types, nested ones as jsonb', () => {
  expect(postgresTypeFor('DECIMAL(18,3)')).toBe('numeric(18,3)')
  expect(postgresTypeFor('UBIGINT')).toBe('numeric(20,0)')
  expect(postgresTypeFor('TIMESTAMP WITH TIME ZONE')).toBe('timestamp with time zone')
  expect(postgresTypeFor('INTEGER[]')).toBe('jsonb')
  expect(postgresTypeFor('STRUCT(a INTEGER)')).toBe('jsonb')
  expect(postgresTypeFor("ENUM('a', 'b')")).toBe('text')
  expect(pushExpression('"b"', 'BLOB')).toBe(`'\\x' || hex("b")`)
})

it('lets text go anywhere but keeps other types to columns that fit', () => {
  expect(incompatibility('VARCHAR', 'integer', 'N')).toBeNull()
  expect(incompatibility('INTEGER', 'text', 'S')).toBeNull()
  expect(incompatibility('INTEGER', 'numeric(10,2)', 'N')).toBeNull()
  expect(incompatibility('BOOLEAN', 'integer', 'N')).toBe('BOOLEAN cannot be stored as integer')
  expect(incompatibility('DATE', 'timestamp with time zone', 'D')).toBeNull()
  expect(incompatibility('BLOB', 'uuid', 'U')).toBe('BLOB cannot be stored as uuid')
})
