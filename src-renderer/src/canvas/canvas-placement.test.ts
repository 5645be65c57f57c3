import { describe, expect, it } from 'vitest'
import { placeBeside, placeForNewNode } from './canvas-placement'

describe('placeForNewNode', () => {
  it('steps down and right past nodes already at the centre', () => {
    expect(placeForNewNode([])).toEqual({ x: 0, y: 0 })
    expect(placeForNewNode([{ x: 0, y: 0 }])).toEqual({ x: 32, y: 32 })
  })
})

describe('placeBeside', () => {
  it('puts the next node to the right of its anchor, below any node already there', () => {
    const anchor = { x: 100, y: 40 }
    expect(placeBeside(anchor, [anchor])).toEqual({ x: 380, y: 40 })
    expect(placeBeside(anchor, [anchor, { x: 380, y: 40 }])).toEqual({ x: 380, y: 168 })
  })
})
