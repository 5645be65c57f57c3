import type { XYPosition } from '@vue-flow/core'

/** Where the middle of the visible canvas is in flow coordinates; set while a canvas is shown. */
let visibleCentre: (() => XYPosition) | null = null

/** Lets the palette place nodes in the middle of what the canvas shows; returns the undo. */
export function registerVisibleCentre(centre: () => XYPosition): () => void {
  visibleCentre = centre
  return () => {
    if (visibleCentre === centre) {
      visibleCentre = null
    }
  }
}

/**
 * Where a node added from the palette goes: the visible centre, moved down a step for each node
 * already there so repeated adds do not hide one another.
 */
export function placeForNewNode(taken: readonly XYPosition[]): XYPosition {
  const centre = visibleCentre?.() ?? { x: 0, y: 0 }
  const step = 32
  let place = { x: Math.round(centre.x), y: Math.round(centre.y) }
  while (taken.some((at) => Math.abs(at.x - place.x) < 4 && Math.abs(at.y - place.y) < 4)) {
    place = { x: place.x + step, y: place.y + step }
  }
  return place
}

/** How far right of a node the next step of the flow goes. */
const besideStep = 280

/**
 * Where a node that follows `anchor` goes (a push target for the selected rows): to its right,
 * moved down a step for each node already there.
 */
export function placeBeside(anchor: XYPosition, taken: readonly XYPosition[]): XYPosition {
  const step = 32
  let place = { x: Math.round(anchor.x + besideStep), y: Math.round(anchor.y) }
  while (taken.some((at) => Math.abs(at.x - place.x) < 4 && Math.abs(at.y - place.y) < 4)) {
    place = { x: place.x, y: place.y + step * 4 }
  }
  return place
}
