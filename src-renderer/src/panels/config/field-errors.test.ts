import { describe, expect, it } from 'vitest'
import { sluiceError } from '../../../../src-shared/errors'
import { findNodeKind } from '../../../../src-shared/nodes'
import { validatePipeline } from '../../../../src-shared/pipeline'
import { describeConfig } from './config-fields'
import { nodeErrors, shownFieldPaths } from './field-errors'

const deriveFields = describeConfig(
  findNodeKind('transform.derive') ?? { config: undefined as never },
)

describe('shownFieldPaths', () => {
  it('lists each field and each list item field', () => {
    const paths = shownFieldPaths(deriveFields, {
      columns: [
        { name: 'a', expression: '1' },
        { name: 'b', expression: '' },
      ],
    })
    expect([...paths]).toEqual([
      'config.columns',
      'config.columns.0',
      'config.columns.0.name',
      'config.columns.0.expression',
      'config.columns.1',
      'config.columns.1.name',
      'config.columns.1.expression',
    ])
  })
})

describe('nodeErrors', () => {
  it('puts the validator’s errors under the fields they name, the rest above the form', () => {
    const config = { columns: [{ name: 'total', expression: '  ' }], colour: 'red' }
    const result = validatePipeline({
      formatVersion: 1,
      nodes: [
        { id: 'derive_1', kind: 'transform.derive', config },
        { id: 'other', kind: 'transform.filter', config: { where: '' } },
      ],
      edges: [],
    })
    expect(result.ok).toBe(false)
    const errors = result.ok ? [] : result.errors
    const split = nodeErrors(errors, 'derive_1', shownFieldPaths(deriveFields, config))
    expect([...split.byField.keys()]).toEqual(['config.columns.0.expression'])
    expect(split.byField.get('config.columns.0.expression')?.[0]?.params?.['reason']).toBe(
      'write an expression',
    )
    expect(split.general.map((error) => error.field)).toEqual(['config.colour'])
  })

  it('ignores other nodes and errors without a node', () => {
    const errors = [
      sluiceError('CYCLE', { nodes: 'a → b' }),
      sluiceError(
        'BAD_CONFIG',
        { node: 'b', field: 'config.where', reason: 'x' },
        {
          nodeId: 'b',
          field: 'config.where',
        },
      ),
    ]
    const split = nodeErrors(errors, 'a', new Set(['config.where']))
    expect(split.byField.size).toBe(0)
    expect(split.general).toEqual([])
  })
})
