import { findNodeKind } from '../../../src-shared/nodes'

/** A source node to create for a file dropped from the desktop. */
export interface DroppedFileSource {
  kind: string
  config: Record<string, unknown>
}

/** File extensions the sources read, with the settings their extension already tells. */
const sourceByExtension: Record<string, DroppedFileSource> = {
  csv: { kind: 'source.csv', config: {} },
  tsv: { kind: 'source.csv', config: { delimiter: '\\t' } },
  tab: { kind: 'source.csv', config: { delimiter: '\\t' } },
  json: { kind: 'source.json', config: {} },
  ndjson: { kind: 'source.json', config: { format: 'ndjson' } },
  jsonl: { kind: 'source.json', config: { format: 'ndjson' } },
  parquet: { kind: 'source.parquet', config: {} },
  xlsx: { kind: 'source.excel', config: {} },
}

/**
 * The source for a dropped file, by its extension, with `path` set to `path`; null for a file no
 * source of this build reads (Excel until its source kind exists).
 */
export function sourceForFile(
  name: string,
  path: string,
  knows: (kind: string) => boolean = (kind) => findNodeKind(kind) !== undefined,
): DroppedFileSource | null {
  const extension = name.includes('.') ? (name.split('.').at(-1) ?? '').toLowerCase() : ''
  const source = sourceByExtension[extension]
  if (!source || !knows(source.kind)) {
    return null
  }
  return { kind: source.kind, config: { ...source.config, path } }
}
