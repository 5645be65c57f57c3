/** Strings of the canvas area. */
export const canvas = {}
