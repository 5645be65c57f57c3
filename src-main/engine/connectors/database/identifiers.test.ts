import { describe, expect, it } from 'vitest'
import {
  columnNameProblems,
  IdentifierError,
  identifierProblem,
  quoteIdentifier,
  quoteQualified,
} from './identifiers'

describe('quoteIdentifier', () => {
  it('doubles the dialect quote so hostile names stay one identifier', () => {
    expect(quoteIdentifier('postgres', 'a"; DROP TABLE x; --')).toBe('"a""; DROP TABLE x; --"')
    expect(quoteIdentifier('mysql', 'a`; DROP TABLE x; --')).toBe('`a``; DROP TABLE x; --`')
    expect(quoteIdentifier('mysql', 'say "hi"')).toBe('`say "hi"`')
    expect(quoteIdentifier('sqlite', 'o"k')).toBe('"o""k"')
  })

  it('sends names in NFC', () => {
    const decomposed = 'Cafe\u0301'
    expect(quoteIdentifier('postgres', decomposed)).toBe('"Café"')
  })

  it('refuses empty names and control characters', () => {
    expect(() => quoteIdentifier('postgres', '')).toThrow(IdentifierError)
    expect(() => quoteIdentifier('mysql', 'a\nb')).toThrow(/control character/)
    expect(() => quoteIdentifier('duckdb', 'a\u0000b')).toThrow(/control character/)
  })

  it('refuses PostgreSQL names over 63 bytes, counting bytes not characters', () => {
    expect(identifierProblem('postgres', 'a'.repeat(63))).toBeNull()
    expect(identifierProblem('postgres', 'a'.repeat(64))).toMatch(/63 bytes/)
    // 22 three-byte characters: 22 characters but 66 bytes.
    expect(identifierProblem('postgres', '表'.repeat(22))).toMatch(/66/)
  })

  it('refuses MySQL names over 64 characters, outside the BMP or ending in a space', () => {
    expect(identifierProblem('mysql', '表'.repeat(64))).toBeNull()
    expect(identifierProblem('mysql', 'a'.repeat(65))).toMatch(/64 characters/)
    expect(identifierProblem('mysql', 'rocket🚀')).toMatch(/Basic Multilingual Plane/)
    expect(identifierProblem('mysql', 'name ')).toMatch(/end with a space/)
  })

  it('qualifies with a schema only when one is given', () => {
    expect(quoteQualified('postgres', '', 't')).toBe('"t"')
    expect(quoteQualified('postgres', 's', 't')).toBe('"s"."t"')
  })
})

describe('columnNameProblems', () => {
  it('lists every bad name and every case collision', () => {
    expect(columnNameProblems('mysql', ['id', 'ID', 'ok', 'x'.repeat(70)])).toEqual([
      `column "${'x'.repeat(70)}": MySQL names are at most 64 characters and this one is 70`,
      'columns "id" and "ID" differ only in letter case',
    ])
    expect(columnNameProblems('postgres', ['a', 'b'])).toEqual([])
  })
})
