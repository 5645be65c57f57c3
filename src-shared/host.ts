/**
 * What the desktop shell's preload gives the page as `window.sluice`, besides the API's
 * MessagePort (which arrives as a `window` message `{ type: 'sluice:port' }`, since a port cannot
 * cross the context bridge). The web host has no such object; the renderer draws its own file
 * picker there.
 */
export interface DesktopBridge {
  readonly version: string
  readonly platform: string
  /** A native open dialog; the chosen path, or null when cancelled. */
  openFile(request: FileDialogRequest): Promise<string | null>
  /** A native save dialog; the chosen path, or null when cancelled. */
  saveFile(request: FileDialogRequest): Promise<string | null>
  /**
   * Where a file dropped on the page lives on disk (Electron's `webUtils.getPathForFile`, since a
   * sandboxed page has no `File.path`); an empty string when it is not a file on disk.
   */
  pathForFile(file: { readonly name: string }): string
  /** Menu items and double-clicked `.sluice` files arrive here. Returns an unsubscribe. */
  onMenuCommand(listener: (command: MenuCommand) => void): () => void
}

export interface FileDialogRequest {
  title?: string
  /** A starting folder or file name. */
  defaultPath?: string
  filters?: Array<{ name: string; extensions: string[] }>
}

/** What the application menu (and the OS, for a double-clicked project) asks the page to do. */
export type MenuCommand =
  | { command: 'new-project' }
  | { command: 'open-project'; path?: string }
  | { command: 'close-project' }
  | { command: 'save-version' }
  | { command: 'export-pipeline' }
  | { command: 'import-pipeline' }
  | { command: 'undo' }
  | { command: 'redo' }
  | { command: 'cut' }
  | { command: 'copy' }
  | { command: 'paste' }
  | { command: 'select-all' }
  | { command: 'delete-selection' }
  | { command: 'run' }
  | { command: 'dry-run' }
  | { command: 'connections' }
  | { command: 'run-to-selected' }
  | { command: 'cancel-run' }
  | { command: 'zoom-to-fit' }
  | { command: 'auto-layout' }
  | { command: 'toggle-theme' }
  | { command: 'settings' }
  | { command: 'shortcuts' }
  | { command: 'about' }

/** The message type under which the preload hands the page the service's MessagePort. */
export const servicePortMessage = 'sluice:port'
