import { createHash } from 'node:crypto'
import { deflateRawSync, inflateRawSync } from 'node:zlib'
import { SluiceFailure, sluiceError } from '../../src-shared/errors'
import { migratePipeline, pipelineSchema, type Pipeline } from '../../src-shared/pipeline'

/** A pipeline document as stored: deflated JSON and the hash that tells versions apart. */
export interface StoredDocument {
  bytes: Buffer
  hash: string
}

/**
 * Encodes a document for storage. The hash is over JSON with sorted keys, so the same pipeline
 * saved with its keys in another order still counts as unchanged.
 */
export function encodeDocument(document: Pipeline): StoredDocument {
  const hash = createHash('sha256').update(canonicalJson(document)).digest('hex')
  return { bytes: deflateRawSync(JSON.stringify(document)), hash }
}

/**
 * Decodes a stored document, bringing an older pipeline format up to date; a blob that does not
 * inflate or parse means a damaged file.
 */
export function decodeDocument(bytes: Buffer, file: string): Pipeline {
  try {
    const migrated = migratePipeline(JSON.parse(inflateRawSync(bytes).toString('utf8')))
    if (!migrated.ok) {
      throw new Error(migrated.error.message)
    }
    return pipelineSchema.parse(migrated.document)
  } catch (thrown) {
    const detail = thrown instanceof Error ? thrown.message : String(thrown)
    throw new SluiceFailure(
      sluiceError(
        'PROJECT_DAMAGED',
        { file, reason: 'a stored pipeline cannot be read' },
        { detail },
      ),
    )
  }
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) {
      return inner
    }
    const sorted: Record<string, unknown> = {}
    for (const key of Object.keys(inner).sort()) {
      sorted[key] = (inner as Record<string, unknown>)[key]
    }
    return sorted
  })
}
