import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import type { Readable } from 'node:stream'
import { createInflateRaw } from 'node:zlib'

/** One file inside a zip archive, as its central directory lists it. */
export interface ZipEntry {
  name: string
  method: number
  compressedSize: number
  localHeaderOffset: number
}

/** Why an archive's directory could not be read; the caller words the user's error. */
export class ZipDirectoryError extends Error {}

const endOfDirectorySignature = 0x06054b50
const directoryEntrySignature = 0x02014b50
const endRecordBytes = 22
const longestComment = 0xffff

/**
 * The entries of a zip file from its central directory, which sits at the end of the file: a
 * truncated workbook has none, so this tells a cut-off download from a good file before any
 * parsing, and lets the Excel source read one sheet's XML without the streaming reader.
 */
export async function listZipEntries(path: string): Promise<ZipEntry[]> {
  const handle = await open(path, 'r')
  try {
    const { size } = await handle.stat()
    const tailLength = Math.min(size, endRecordBytes + longestComment)
    const tail = Buffer.alloc(tailLength)
    await handle.read(tail, 0, tailLength, size - tailLength)
    let end = -1
    for (let at = tailLength - endRecordBytes; at >= 0; at -= 1) {
      if (tail.readUInt32LE(at) === endOfDirectorySignature) {
        end = at
        break
      }
    }
    if (end === -1) {
      throw new ZipDirectoryError('the end of the file is missing')
    }
    const count = tail.readUInt16LE(end + 10)
    const directorySize = tail.readUInt32LE(end + 12)
    const directoryOffset = tail.readUInt32LE(end + 16)
    if (directoryOffset + directorySize > size) {
      throw new ZipDirectoryError('its table of contents points past the end of the file')
    }
    const directory = Buffer.alloc(directorySize)
    await handle.read(directory, 0, directorySize, directoryOffset)
    return parseDirectory(directory, count)
  } finally {
    await handle.close()
  }
}

function parseDirectory(directory: Buffer, count: number): ZipEntry[] {
  const entries: ZipEntry[] = []
  let at = 0
  for (let index = 0; index < count; index += 1) {
    if (at + 46 > directory.length || directory.readUInt32LE(at) !== directoryEntrySignature) {
      throw new ZipDirectoryError('its table of contents is damaged')
    }
    const nameLength = directory.readUInt16LE(at + 28)
    const extraLength = directory.readUInt16LE(at + 30)
    const commentLength = directory.readUInt16LE(at + 32)
    entries.push({
      method: directory.readUInt16LE(at + 10),
      compressedSize: directory.readUInt32LE(at + 20),
      localHeaderOffset: directory.readUInt32LE(at + 42),
      name: directory.toString('utf8', at + 46, at + 46 + nameLength),
    })
    at += 46 + nameLength + extraLength + commentLength
  }
  return entries
}

/** The uncompressed bytes of one entry, as a stream (stored and deflated entries only). */
export async function streamZipEntry(path: string, entry: ZipEntry): Promise<Readable> {
  const handle = await open(path, 'r')
  const header = Buffer.alloc(30)
  try {
    await handle.read(header, 0, 30, entry.localHeaderOffset)
  } finally {
    await handle.close()
  }
  const start = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28)
  const raw = createReadStream(path, { start, end: start + entry.compressedSize - 1 })
  if (entry.method === 0) {
    return raw
  }
  if (entry.method !== 8) {
    raw.destroy()
    throw new ZipDirectoryError(`${entry.name} uses an unsupported compression method`)
  }
  const inflate = createInflateRaw()
  raw.on('error', (error) => inflate.destroy(error))
  return raw.pipe(inflate)
}
