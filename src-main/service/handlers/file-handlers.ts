import { readdir, realpath, stat } from 'node:fs/promises'
import { dirname, extname, isAbsolute, join, relative, resolve } from 'node:path'
import type { ApiHandlers, FileEntry } from '../../../src-shared/api'
import { sluiceError, SluiceFailure } from '../../../src-shared/errors'
import type { ServiceContext } from '../service-context'

type FileHandlers = Pick<ApiHandlers, 'files/list'>

/**
 * Folder listings for a file picker drawn by the UI (the web host has no native dialog). Only
 * paths inside the host's roots and the open project's folder are listed, after resolving
 * symbolic links, so `..` or a link cannot lead a browser page around the server's disk.
 */
export function fileHandlers(context: ServiceContext): FileHandlers {
  const roots = async (): Promise<string[]> => {
    const folders = [...(context.options.fileRoots ?? [])]
    const project = context.openProjectFolder()
    if (project) {
      folders.push(project)
    }
    const resolved = await Promise.all(folders.map((folder) => realpath(folder).catch(() => null)))
    return [...new Set(resolved.filter((folder): folder is string => folder !== null))]
  }
  return {
    'files/list': async ({ path, extensions }) => {
      const allowed = await roots()
      if (path === undefined) {
        const entries = await Promise.all(allowed.map((root) => describe(root, allowed)))
        return {
          path: null,
          parent: null,
          roots: allowed,
          entries: entries.flatMap((e) => e ?? []),
        }
      }
      const folder = await realpath(resolve(path)).catch(() => resolve(path))
      if (!allowed.some((root) => isInside(folder, root))) {
        throw new SluiceFailure(
          sluiceError('PATH_NOT_ALLOWED', { path, roots: allowed.join(', ') || '(none)' }),
        )
      }
      let names: string[]
      try {
        names = await readdir(folder)
      } catch (thrown) {
        const reason = thrown instanceof Error ? thrown.message : String(thrown)
        throw new SluiceFailure(sluiceError('FILE_UNREADABLE', { file: folder, reason }))
      }
      const wanted = extensions ? new Set(extensions.map((ext) => `.${ext}`)) : undefined
      const entries = (
        await Promise.all(names.map((name) => describe(join(folder, name), allowed)))
      )
        .filter((entry): entry is FileEntry => entry !== null)
        .filter((entry) => !entry.name.startsWith('.'))
        .filter(
          (entry) =>
            entry.kind === 'folder' || !wanted || wanted.has(extname(entry.name).toLowerCase()),
        )
        .sort((a, b) =>
          a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'folder' ? -1 : 1,
        )
      const above = dirname(folder)
      const parent = allowed.some((root) => isInside(above, root)) ? above : null
      return { path: folder, parent, roots: allowed, entries }
    },
  }
}

function isInside(path: string, root: string): boolean {
  const between = relative(root, path)
  return between === '' || (!between.startsWith('..') && !isAbsolute(between))
}

/**
 * An entry, or null for what cannot be read, is neither a file nor a folder, or is a link that
 * leads outside the roots.
 */
async function describe(path: string, roots: readonly string[]): Promise<FileEntry | null> {
  try {
    const target = await realpath(path)
    if (!roots.some((root) => isInside(target, root))) {
      return null
    }
    const info = await stat(target)
    if (!info.isFile() && !info.isDirectory()) {
      return null
    }
    return {
      name: path.split(/[\\/]/).at(-1) || path,
      path,
      kind: info.isDirectory() ? 'folder' : 'file',
      size: info.size,
      modifiedAt: info.mtime.toISOString(),
    }
  } catch {
    return null
  }
}
