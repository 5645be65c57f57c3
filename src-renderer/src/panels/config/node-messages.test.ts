import { describe, expect, it } from 'vitest'
import { nodeCatalogue } from '../../../../src-shared/nodes'
import { config as enConfig } from '../../i18n/en/config'
import { nodes as enNodes } from '../../i18n/en/nodes'
import { nodes as zhNodes } from '../../i18n/zh-CN/nodes'
import { describeConfig } from './config-fields'

describe('node messages', () => {
  it('have a title and help for every kind, English equal to the catalogue', () => {
    const messages = enNodes as unknown as Record<string, { title: string; help: string }>
    const chinese = zhNodes as unknown as Record<string, { title: string; help: string }>
    for (const spec of nodeCatalogue) {
      const key = spec.kind.replaceAll('.', '_')
      expect(messages[key], spec.kind).toEqual({ title: spec.title, help: spec.help })
      expect(chinese[key]?.title, spec.kind).toBeTruthy()
    }
  })

  it('name every config field of the catalogue', () => {
    const labels = new Set(Object.keys(enConfig.fields))
    for (const spec of nodeCatalogue) {
      for (const field of describeConfig(spec)) {
        expect(labels.has(field.key), `${spec.kind}.${field.key}`).toBe(true)
        for (const sub of field.fields ?? []) {
          expect(labels.has(sub.key), `${spec.kind}.${field.key}.${sub.key}`).toBe(true)
        }
      }
    }
  })
})
