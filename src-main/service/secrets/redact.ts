/** What a secret is replaced with. */
export const redactedMark = '•••'

/**
 * `text` with every secret value replaced by `•••`: run before any log line, error message or run
 * record is stored or shown. Besides each value as it is, its URL-encoded form (a password inside
 * a connection URL) and its JSON-escaped form (a password inside a logged JSON body) are replaced.
 * Longer values win where values overlap, so a secret that contains another is hidden whole.
 */
export function redactSecrets(text: string, secrets: Iterable<string>): string {
  const forms = new Set<string>()
  for (const secret of secrets) {
    if (secret.length === 0) {
      continue
    }
    forms.add(secret)
    forms.add(encodeURIComponent(secret))
    forms.add(JSON.stringify(secret).slice(1, -1))
  }
  if (forms.size === 0) {
    return text
  }
  // One pass with the longest alternative first: the regex engine tries alternatives in order, so
  // at each position the longest form matches, and the mark itself is never scanned again.
  const pattern = [...forms]
    .sort((a, b) => b.length - a.length)
    .map((form) => form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|')
  return text.replace(new RegExp(pattern, 'g'), redactedMark)
}
