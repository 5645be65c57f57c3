import { describe, expect, it } from 'vitest'
import type { Pipeline } from '../../../../src-shared/pipeline'
import { upstreamRuleNames } from './upstream-rules'

const at = { x: 0, y: 0 }
const edge = (from: string, to: string) => ({
  from: { node: from, port: from === 'csv' ? 'out' : 'pass' },
  to: { node: to, port: 'in' },
})

describe('upstreamRuleNames', () => {
  it('lists the rules of every check and suite above a gate, a check by its kind when unnamed', () => {
    const document: Pipeline = {
      formatVersion: 1,
      name: 'p',
      parameters: {},
      nodes: [
        { id: 'csv', kind: 'source.csv', position: at, config: { path: 'a.csv' } },
        { id: 'nn', kind: 'check.not-null', position: at, config: { columns: ['email'] } },
        {
          id: 'suite',
          kind: 'quality.validate',
          position: at,
          config: {
            rules: [
              { name: 'email valid', check: 'pattern', column: 'email', preset: 'email' },
              { name: 'id unique', check: 'unique', columns: ['id'] },
            ],
          },
        },
        { id: 'gate', kind: 'quality.gate', position: at, config: { rules: [] } },
        { id: 'aside', kind: 'check.unique', position: at, config: { name: 'elsewhere' } },
      ],
      edges: [edge('csv', 'nn'), edge('nn', 'suite'), edge('suite', 'gate'), edge('csv', 'aside')],
    }
    expect(upstreamRuleNames(document, 'gate')).toEqual(['email valid', 'id unique', 'not-null'])
  })
})
