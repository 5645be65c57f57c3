import { extname } from 'node:path'
import { sluiceError, SluiceFailure } from '../../../../src-shared/errors'
import { checkReadableFile, readHead } from '../files/file-identity'
import { listZipEntries, ZipDirectoryError, type ZipEntry } from './zip-directory'

const zipMagic = Buffer.from([0x50, 0x4b, 0x03, 0x04])
/** An OLE compound file: an old .xls, or an .xlsx wrapped in encryption by a password. */
const compoundFileMagic = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])
/** Encrypted OOXML keeps its key data in a stream of this name; .xls files have none. */
const encryptionStreamName = Buffer.from('EncryptionInfo', 'utf16le')

/**
 * Checks that a file is an .xlsx workbook before the streaming reader sees it, turning the files
 * people mistake for one (.xls, .xlsb, password-protected, truncated, renamed text) into errors
 * that say what to do. Returns the archive's entries.
 */
export async function checkWorkbookFormat(file: string, nodeId?: string): Promise<ZipEntry[]> {
  const fail = (code: Parameters<typeof sluiceError>[0], reason = '') =>
    new SluiceFailure(sluiceError(code, { file, reason }, { nodeId }))
  const { size } = await checkReadableFile(file)
  if (size === 0) {
    throw new SluiceFailure(sluiceError('FILE_EMPTY', { file }, { nodeId }))
  }
  const head = await readHead(file, 64 * 1024)
  if (head.subarray(0, 8).equals(compoundFileMagic)) {
    throw fail(head.includes(encryptionStreamName) ? 'EXCEL_ENCRYPTED' : 'EXCEL_OLD_FORMAT')
  }
  if (!head.subarray(0, 4).equals(zipMagic)) {
    throw fail('EXCEL_NOT_WORKBOOK', describeNonWorkbook(head))
  }
  let entries: ZipEntry[]
  try {
    entries = await listZipEntries(file)
  } catch (thrown) {
    if (thrown instanceof ZipDirectoryError) {
      throw fail('EXCEL_CORRUPT', thrown.message)
    }
    throw thrown
  }
  const names = new Set(entries.map((entry) => entry.name))
  if (names.has('xl/workbook.bin') || extname(file).toLowerCase() === '.xlsb') {
    throw fail('EXCEL_BINARY_FORMAT')
  }
  if (!names.has('xl/workbook.xml')) {
    throw fail('EXCEL_NOT_WORKBOOK', 'it is a zip archive without a workbook inside')
  }
  return entries
}

function describeNonWorkbook(head: Buffer): string {
  const sample = head.subarray(0, 4096)
  const printable = sample.filter(
    (byte) => byte >= 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d,
  )
  if (sample.length > 0 && printable.length / sample.length > 0.95) {
    return 'it holds plain text'
  }
  return 'it does not start like an .xlsx file'
}
