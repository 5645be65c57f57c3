/** The drag data type that carries a node kind from the palette to the canvas. */
export const nodeKindDragType = 'application/x-sluice-node-kind'
