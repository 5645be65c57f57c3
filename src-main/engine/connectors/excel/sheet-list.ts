import { parseRange } from './cell-address'
import { checkWorkbookFormat } from './workbook-format'
import { streamZipEntry, type ZipEntry } from './zip-directory'

/** A sheet as the sheet picker lists it. */
export interface SheetSummary {
  name: string
  /** Position among the tabs, from 1, as the source's `sheetIndex` counts. */
  position: number
  /** The used range Excel recorded, e.g. `A1:F200`; empty when the sheet records none. */
  dimension: string
  rows: number
  columns: number
  hidden: boolean
}

/** The head of a sheet's XML read for its `<dimension>`, which comes before the rows. */
const dimensionSearchBytes = 64 * 1024

/**
 * Lists a workbook's sheets with the dimensions Excel recorded, for the sheet picker. Reads only
 * the workbook's index and the first bytes of each sheet, so it is quick on any size of file.
 */
export async function listExcelSheets(file: string): Promise<SheetSummary[]> {
  const entries = await checkWorkbookFormat(file)
  const workbook = await entryText(file, entries, 'xl/workbook.xml')
  const rels = await entryText(file, entries, 'xl/_rels/workbook.xml.rels')
  const targets = new Map(
    [...rels.matchAll(/<(?:\w+:)?Relationship\b[^>]*>/g)].map((match) => [
      attribute(match[0], 'Id'),
      attribute(match[0], 'Target'),
    ]),
  )
  const sheets = [...workbook.matchAll(/<(?:\w+:)?sheet\b[^>]*>/g)].map((match) => ({
    name: attribute(match[0], 'name'),
    rId: attribute(match[0], 'r:id'),
    hidden: /state="(?:hidden|veryHidden)"/.test(match[0]),
  }))
  const summaries: SheetSummary[] = []
  for (const [index, sheet] of sheets.entries()) {
    const target = targets.get(sheet.rId) ?? ''
    const path = target.startsWith('/') ? target.slice(1) : `xl/${target}`
    const head = await entryText(file, entries, path, dimensionSearchBytes)
    const dimension = /<(?:\w+:)?dimension\b[^>]*ref="([^"]+)"/.exec(head)?.[1] ?? ''
    const range = parseRange(dimension)
    summaries.push({
      name: sheet.name,
      position: index + 1,
      dimension,
      rows: range ? range.bottom - range.top + 1 : 0,
      columns: range ? range.right - range.left + 1 : 0,
      hidden: sheet.hidden,
    })
  }
  return summaries
}

async function entryText(
  file: string,
  entries: ZipEntry[],
  name: string,
  limit = Number.POSITIVE_INFINITY,
): Promise<string> {
  const entry = entries.find((candidate) => candidate.name === name)
  if (!entry) {
    return ''
  }
  const stream = await streamZipEntry(file, entry)
  const chunks: Buffer[] = []
  let length = 0
  for await (const chunk of stream) {
    chunks.push(chunk as Buffer)
    length += (chunk as Buffer).length
    if (length >= limit) {
      stream.destroy()
      break
    }
  }
  return Buffer.concat(chunks).toString('utf8')
}

const xmlEntities: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
}

function attribute(element: string, name: string): string {
  const value = new RegExp(`\\s${name}="([^"]*)"`).exec(element)?.[1] ?? ''
  return value.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);/gi, (_, entity: string) =>
    entity.startsWith('#x') || entity.startsWith('#X')
      ? String.fromCodePoint(parseInt(entity.slice(2), 16))
      : entity.startsWith('#')
        ? String.fromCodePoint(Number(entity.slice(1)))
        : (xmlEntities[entity.toLowerCase()] ?? ''),
  )
}
