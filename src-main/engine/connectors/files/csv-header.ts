import Papa from 'papaparse'

/**
 * The header names exactly as written in the file, parsed from its first lines with the same
 * delimiter and quote. DuckDB silently renames blank and duplicate headers; comparing against
 * these lets Sluice say what was renamed to what.
 */
export function parseHeaderLine(
  text: string,
  options: { delimiter: string; quote: string; escape: string; skipRows: number },
): string[] {
  const parsed = Papa.parse<string[]>(text, {
    delimiter: options.delimiter || undefined,
    quoteChar: options.quote || '"',
    escapeChar: options.escape || options.quote || '"',
    preview: options.skipRows + 1,
    skipEmptyLines: false,
  })
  return parsed.data[options.skipRows] ?? []
}

/** Sentences describing blank or duplicate headers and the names DuckDB gave them. */
export function describeRenamedHeaders(
  original: readonly string[],
  staged: readonly string[],
): string[] {
  const notes: string[] = []
  const seen = new Map<string, number>()
  original.forEach((name, index) => {
    const stagedName = staged[index]
    if (stagedName === undefined) {
      return
    }
    const trimmed = name.trim()
    const key = trimmed.toLowerCase()
    if (trimmed === '') {
      notes.push(`column ${index + 1} has a blank header; it was named "${stagedName}"`)
    } else if (seen.has(key)) {
      notes.push(
        `column ${index + 1} repeats the header "${name}" (first in column ${(seen.get(key) ?? 0) + 1}); it was renamed "${stagedName}"`,
      )
    }
    if (!seen.has(key)) {
      seen.set(key, index)
    }
  })
  return notes
}
