import { describe, expect, it } from 'vitest'
import { currentFormatVersion } from './document'
import { formatMigrations, migratePipeline, type FormatMigration } from './migrate'

/** Format 1 → 2: nodes keep their settings under `config` instead of `settings`. */
const settingsToConfig: FormatMigration = (document) => ({
  ...document,
  nodes: (document.nodes as Array<Record<string, unknown>>).map(({ settings, ...node }) => ({
    ...node,
    config: settings,
  })),
})

/** Format 2 → 3: the pipeline's `title` becomes its `name`. */
const titleToName: FormatMigration = ({ title, ...document }) => ({ ...document, name: title })

const formatOne = {
  formatVersion: 1,
  title: 'Monthly orders',
  nodes: [{ id: 'src', kind: 'source.csv', settings: { path: 'orders.csv' } }],
}

describe('migratePipeline', () => {
  it('leaves a current document as it is and says nothing was migrated', () => {
    const document = { formatVersion: currentFormatVersion, nodes: [] }
    expect(migratePipeline(document)).toEqual({ ok: true, document })
  })

  it('has no migrations while format 1 is the only released format', () => {
    expect(currentFormatVersion).toBe(1)
    expect(formatMigrations).toEqual({})
  })

  it('upgrades an old document through each step in order', () => {
    const result = migratePipeline(formatOne, { 1: settingsToConfig, 2: titleToName }, 3)
    expect(result).toEqual({
      ok: true,
      migratedFrom: 1,
      document: {
        formatVersion: 3,
        name: 'Monthly orders',
        nodes: [{ id: 'src', kind: 'source.csv', config: { path: 'orders.csv' } }],
      },
    })
  })

  it('stamps each step with its version, whatever the step returns', () => {
    const seen: unknown[] = []
    const recordVersion: FormatMigration = (document) => {
      seen.push(document.formatVersion)
      return { ...document, formatVersion: 99 }
    }
    const result = migratePipeline({ formatVersion: 0 }, { 0: recordVersion, 1: recordVersion }, 2)
    expect(seen).toEqual([0, 1])
    expect(result).toEqual({ ok: true, migratedFrom: 0, document: { formatVersion: 2 } })
  })

  it('reports a missing step by the version it would upgrade from', () => {
    const result = migratePipeline(formatOne, { 1: settingsToConfig }, 3)
    expect(result).toEqual({
      ok: false,
      error: expect.objectContaining({
        code: 'FORMAT_UNKNOWN',
        message: 'This file is not a Sluice pipeline: no migration from format 2.',
      }),
    })
  })

  it('refuses a document newer than the target format', () => {
    const result = migratePipeline({ formatVersion: 4 }, { 1: settingsToConfig }, 3)
    expect(result).toEqual({
      ok: false,
      error: expect.objectContaining({
        code: 'FORMAT_TOO_NEW',
        message: 'This pipeline was saved by a newer Sluice (format 4); update Sluice to open it.',
      }),
    })
  })

  it.each([
    ['a missing version', {}],
    ['a text version', { formatVersion: '1' }],
    ['a fractional version', { formatVersion: 1.5 }],
    ['a negative version', { formatVersion: -1 }],
  ])('rejects %s', (_label, raw) => {
    const result = migratePipeline(raw, { 1: settingsToConfig }, 2)
    expect(result).toEqual({
      ok: false,
      error: expect.objectContaining({
        code: 'FORMAT_UNKNOWN',
        message: 'This file is not a Sluice pipeline: it has no whole-number "formatVersion".',
      }),
    })
  })
})
