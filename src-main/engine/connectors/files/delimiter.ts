/** A configured delimiter as the character it means: configs spell a tab `\t`, as users type it. */
export function delimiterCharacter(configured: string): string {
  return configured === '\\t' ? '\t' : configured
}
