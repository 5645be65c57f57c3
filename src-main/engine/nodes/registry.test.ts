import { describe, expect, it } from 'vitest'
import { nodeCatalogue } from '../../../src-shared/nodes'
import { executorFor, implementedKinds } from './registry'

const catalogued = nodeCatalogue.map((spec) => spec.kind)

describe('the engine registry', () => {
  it('implements every kind in the catalogue, and no kind the catalogue lacks', () => {
    expect([...implementedKinds].sort()).toEqual([...catalogued].sort())
  })

  it.each(nodeCatalogue.map((spec) => [spec.kind, spec.family] as const))(
    '%s has an executor whose role is its family (%s)',
    (kind, family) => {
      expect(executorFor(kind).role).toBe(family)
    },
  )

  it('names a kind it does not know', () => {
    expect(() => executorFor('transform.teleport')).toThrow(
      'no engine implementation for node kind "transform.teleport"',
    )
  })
})
