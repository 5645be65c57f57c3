import { createReadStream, createWriteStream } from 'node:fs'
import { rename } from 'node:fs/promises'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import chardet from 'chardet'
import iconv from 'iconv-lite'
import type { CsvEncoding } from '../../../../src-shared/nodes/sources'

export type ConcreteEncoding = Exclude<CsvEncoding, 'auto'>

const iconvNames: Record<ConcreteEncoding, string> = {
  'utf-8': 'utf-8',
  'utf-8-bom': 'utf-8',
  'utf-16le': 'utf-16le',
  'utf-16be': 'utf-16be',
  gbk: 'gbk',
  gb18030: 'gb18030',
  big5: 'big5',
  shift_jis: 'shift_jis',
  latin1: 'latin1',
}

/** Encodings DuckDB reads as they are; every other one is transcoded to UTF-8 first. */
export function isUtf8(encoding: ConcreteEncoding): boolean {
  return encoding === 'utf-8' || encoding === 'utf-8-bom'
}

/**
 * Guesses a file's encoding from its first bytes: a BOM decides; valid UTF-8 is UTF-8; otherwise
 * chardet's statistical guess among the encodings Sluice supports.
 */
export function detectEncoding(head: Buffer): ConcreteEncoding {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
    return 'utf-8-bom'
  }
  if (head[0] === 0xff && head[1] === 0xfe) {
    return 'utf-16le'
  }
  if (head[0] === 0xfe && head[1] === 0xff) {
    return 'utf-16be'
  }
  if (firstInvalidUtf8Offset(head, true) === -1) {
    return 'utf-8'
  }
  const candidates = chardet
    .analyse(head)
    .map((match) => ({ encoding: supportedEncoding(match.name), confidence: match.confidence }))
    .filter(
      (match): match is { encoding: ConcreteEncoding; confidence: number } =>
        match.encoding !== undefined,
    )
  const confident = candidates.find(
    (match) => match.confidence >= 50 && decodesCleanly(head, match.encoding),
  )
  if (confident) {
    return confident.encoding
  }
  // Short samples are ambiguous between the CJK encodings. Chinese users are the main audience,
  // so GB18030 (a superset of GBK) is tried first, then Big5 and Shift-JIS.
  const cjk = (['gb18030', 'big5', 'shift_jis'] as const).find((encoding) =>
    decodesCleanly(head, encoding),
  )
  if (cjk) {
    return cjk
  }
  return 'latin1'
}

function supportedEncoding(name: string): ConcreteEncoding | undefined {
  const lower = name.toLowerCase()
  const known: Record<string, ConcreteEncoding> = {
    gb18030: 'gb18030',
    gbk: 'gb18030',
    gb2312: 'gb18030',
    big5: 'big5',
    shift_jis: 'shift_jis',
    'utf-16le': 'utf-16le',
    'utf-16be': 'utf-16be',
    'iso-8859-1': 'latin1',
    'windows-1252': 'latin1',
  }
  return known[lower]
}

/** True when the sample decodes without replacement characters (a cut-off last character aside). */
function decodesCleanly(head: Buffer, encoding: ConcreteEncoding): boolean {
  const text = iconv.decode(head, iconvNames[encoding])
  const replacement = text.indexOf('\uFFFD')
  return replacement === -1 || replacement >= text.length - 1
}

/**
 * The offset of the first byte that is not valid UTF-8, or -1. With `allowTruncatedEnd`, a
 * multi-byte character cut off by the end of the buffer (a sample) does not count.
 */
export function firstInvalidUtf8Offset(bytes: Buffer, allowTruncatedEnd = false): number {
  let index = 0
  while (index < bytes.length) {
    const byte = bytes[index] as number
    const length =
      byte < 0x80
        ? 1
        : byte >= 0xc2 && byte < 0xe0
          ? 2
          : byte >= 0xe0 && byte < 0xf0
            ? 3
            : byte >= 0xf0 && byte < 0xf5
              ? 4
              : 0
    if (length === 0) {
      return index
    }
    if (index + length > bytes.length) {
      return allowTruncatedEnd ? -1 : index
    }
    for (let next = 1; next < length; next += 1) {
      if (((bytes[index + next] as number) & 0xc0) !== 0x80) {
        return index
      }
    }
    index += length
  }
  return -1
}

/**
 * Streams `source` through iconv-lite into a UTF-8 file at `target` (written beside it, then
 * renamed, so a cancelled transcode never leaves a half file that looks complete). Returns how
 * many byte sequences could not be decoded.
 */
export async function transcodeToUtf8(
  source: string,
  target: string,
  encoding: ConcreteEncoding,
  signal?: AbortSignal,
): Promise<{ undecodable: number }> {
  let undecodable = 0
  const countReplacements = new Transform({
    transform(chunk: string, _encoding, done) {
      for (let at = chunk.indexOf('\uFFFD'); at !== -1; at = chunk.indexOf('\uFFFD', at + 1)) {
        undecodable += 1
      }
      done(null, chunk)
    },
    decodeStrings: false,
    encoding: 'utf8',
  })
  const partial = `${target}.partial`
  await pipeline(
    createReadStream(source),
    iconv.decodeStream(iconvNames[encoding], { stripBOM: true }),
    countReplacements,
    createWriteStream(partial, { encoding: 'utf8' }),
    { signal },
  )
  await rename(partial, target)
  return { undecodable }
}
