/** Strings of the preview panel and column profiles. */
export const preview = {
  title: 'Preview',
}
