import { describe, expect, it } from 'vitest'
import { connectionFieldsSchema } from '../../../src-shared/project'
import { secretRefFor } from './secret-store'

describe('secretRefFor', () => {
  it('turns a connection name into an upper-case reference', () => {
    expect(secretRefFor('warehouse')).toBe('WAREHOUSE')
    expect(secretRefFor('Sales warehouse (EU)')).toBe('SALES_WAREHOUSE_EU')
    expect(secretRefFor('  crm -- prod  ')).toBe('CRM_PROD')
    expect(secretRefFor('db2_backup')).toBe('DB2_BACKUP')
  })

  it('keeps the letters of accented names and folds compatibility forms', () => {
    expect(secretRefFor('Müller Café')).toBe('MULLER_CAFE')
    expect(secretRefFor('ｗａｒｅｈｏｕｓｅ①')).toBe('WAREHOUSE1')
  })

  it('falls back to CONNECTION when nothing usable is left', () => {
    expect(secretRefFor('')).toBe('CONNECTION')
    expect(secretRefFor('___')).toBe('CONNECTION')
    expect(secretRefFor('仓库')).toBe('CONNECTION')
  })

  it('stays within 100 characters without a trailing underscore', () => {
    const ref = secretRefFor(`${'a'.repeat(99)} b`)
    expect(ref).toBe('A'.repeat(99))
    expect(secretRefFor('x'.repeat(500))).toHaveLength(100)
  })

  it('always gives a reference the connection schema accepts', () => {
    for (const name of ['Sales warehouse (EU)', '仓库', 'Ünïcödé—name', '-'.repeat(300)]) {
      const fields = { name: 'c', kind: 'postgres', secretRef: secretRefFor(name) }
      expect(connectionFieldsSchema.safeParse(fields).success).toBe(true)
    }
  })
})
