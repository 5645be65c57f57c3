import type { canvas as en } from '../en/canvas'

export const canvas: typeof en = {}
