/** Strings of the node config panel and the problems list. */
export const config = {
  problems: 'Problems',
}
