/** Strings of the nodes area. */
export const nodes = {}
