import { createHash } from 'node:crypto'
import { constants } from 'node:fs'
import { access, open, stat } from 'node:fs/promises'
import { isAbsolute, resolve } from 'node:path'
import { sluiceError, SluiceFailure } from '../../../../src-shared/errors'

/** Resolves a config path against the pipeline's folder. */
export function resolvePath(baseDir: string, path: string): string {
  return isAbsolute(path) ? path : resolve(baseDir, path)
}

/** How much of each end of a file goes into its content hash. */
const hashWindowBytes = 1024 * 1024

/**
 * A file's identity for fingerprints: size, mtime and a hash of its first and last MiB. Hashing
 * whole multi-GB files on every run would cost more than staging them; size + mtime + both ends
 * catch every edit short of a same-size rewrite of the middle with a forged mtime.
 */
export async function fileIdentity(path: string): Promise<string> {
  const info = await checkReadableFile(path)
  const hash = createHash('sha256')
  const handle = await open(path, 'r')
  try {
    const head = Buffer.alloc(Math.min(hashWindowBytes, info.size))
    await handle.read(head, 0, head.length, 0)
    hash.update(head)
    if (info.size > hashWindowBytes) {
      const tailStart = Math.max(hashWindowBytes, info.size - hashWindowBytes)
      const tail = Buffer.alloc(info.size - tailStart)
      await handle.read(tail, 0, tail.length, tailStart)
      hash.update(tail)
    }
  } finally {
    await handle.close()
  }
  return `${info.size}:${info.mtimeMs}:${hash.digest('hex').slice(0, 16)}`
}

/** Stats a file, turning missing or unreadable files into errors that name the file. */
export async function checkReadableFile(path: string): Promise<{ size: number; mtimeMs: number }> {
  let info
  try {
    info = await stat(path)
  } catch (thrown) {
    throw fileError(path, thrown)
  }
  if (info.isDirectory()) {
    throw new SluiceFailure(
      sluiceError('FILE_UNREADABLE', { file: path, reason: 'it is a folder' }),
    )
  }
  try {
    await access(path, constants.R_OK)
  } catch (thrown) {
    throw fileError(path, thrown)
  }
  return { size: info.size, mtimeMs: info.mtimeMs }
}

function fileError(path: string, thrown: unknown): SluiceFailure {
  const code = (thrown as NodeJS.ErrnoException).code
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new SluiceFailure(sluiceError('FILE_NOT_FOUND', { file: path }))
  }
  const reason = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : String(thrown)
  return new SluiceFailure(sluiceError('FILE_UNREADABLE', { file: path, reason }))
}

/** The first `bytes` of a file (fewer if it is shorter). */
export async function readHead(path: string, bytes: number): Promise<Buffer> {
  const handle = await open(path, 'r')
  try {
    const buffer = Buffer.alloc(bytes)
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0)
    return buffer.subarray(0, bytesRead)
  } finally {
    await handle.close()
  }
}
