import { inject, type InjectionKey } from 'vue'
import type { FileDialogRequest, MenuCommand } from '../../../src-shared/host'
import type { ApiConnection } from '../../../src-shared/transport'

/**
 * Everything the app needs from where it runs. The renderer picks its host once at start
 * (`connectToHost`); nothing else knows whether it is the desktop app or the web host.
 */
export interface SluiceHost {
  kind: 'desktop' | 'web'
  api: ApiConnection
  /** A file the user chose to open, or null when cancelled. */
  pickFile(request: FilePickRequest): Promise<string | null>
  /** Where the user chose to save, or null when cancelled. */
  pickSaveFile(request: FilePickRequest): Promise<string | null>
  /** Where a dropped file lives on disk (desktop only), or null when the host cannot tell. */
  pathForDroppedFile(file: File): string | null
  /** Application menu commands (desktop only; the web host has none). */
  onMenuCommand(listener: (command: MenuCommand) => void): () => void
  /** Called when the connection to the engine is lost. */
  onDisconnect(listener: (reason: string) => void): void
}

export interface FilePickRequest extends FileDialogRequest {
  /** Shown extensions, without dots, e.g. `['csv', 'tsv']`; all files when omitted. */
  extensions?: string[]
}

export const hostKey: InjectionKey<SluiceHost> = Symbol('sluice-host')

/** The host the app was started with. */
export function useHost(): SluiceHost {
  const host = inject(hostKey)
  if (!host) {
    throw new Error('useHost() called outside the Sluice app')
  }
  return host
}
