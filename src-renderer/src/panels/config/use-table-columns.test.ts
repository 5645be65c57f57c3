import { describe, expect, it } from 'vitest'
import { sourceTableOf } from './use-table-columns'

describe('sourceTableOf', () => {
  it('names the table of a database source only when connection, schema and table are set', () => {
    const config = { connection: 'c1', schema: 'main', table: 'orders' }
    expect(sourceTableOf({ kind: 'source.database', config })).toEqual(config)
    expect(sourceTableOf({ kind: 'source.database', config: { ...config, table: ' ' } })).toBe(null)
    expect(sourceTableOf({ kind: 'sink.database', config })).toBe(null)
    expect(sourceTableOf(undefined)).toBe(null)
  })
})
