import type { nodes as en } from '../en/nodes'

export const nodes: typeof en = {}
