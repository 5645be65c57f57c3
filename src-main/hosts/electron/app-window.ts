import { BrowserWindow, screen, type WebContents } from 'electron'
import type { MenuCommand } from '../../../src-shared/host'
import type { AppStore } from '../../store/app-store'
import { ipcChannels } from './ipc-channels'
import {
  mainWindowStateKey,
  minimumWindowSize,
  restoreWindowState,
  type WindowState,
} from './window-state'

export interface AppWindowOptions {
  url: string
  preload: string
  appStore: AppStore | undefined
  /** The page finished loading (first load or a reload): hand it a service port. */
  onLoaded(contents: WebContents): void
  /** The window closed; `contentsId` was its page's webContents id. */
  onClosed(contentsId: number): void
}

/** A Sluice window and the way to send its page menu commands. */
export interface AppWindow {
  window: BrowserWindow
  /** Sends `command` to the page, or queues it until the page has loaded. */
  sendCommand(command: MenuCommand): void
}

/**
 * Opens a Sluice window: sandboxed, isolated, no Node in the page, at its remembered size and
 * place. Commands that arrive while the page loads (a double-clicked project at start) wait for
 * it; the preload holds them until the page subscribes.
 */
export function createAppWindow(options: AppWindowOptions): AppWindow {
  const state = restoreWindowState(
    options.appStore?.windowState(mainWindowStateKey),
    screen.getAllDisplays().map((display) => display.workArea),
  )
  const window = new BrowserWindow({
    ...(state.x === undefined || state.y === undefined ? {} : { x: state.x, y: state.y }),
    width: state.width,
    height: state.height,
    minWidth: minimumWindowSize.width,
    minHeight: minimumWindowSize.height,
    title: 'Sluice',
    show: false,
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  })
  const contents = window.webContents
  // Read now: a destroyed webContents throws on every access.
  const contentsId = contents.id
  let loaded = false
  const queued: MenuCommand[] = []

  window.once('ready-to-show', () => {
    if (state.maximized) {
      window.maximize()
    }
    window.show()
  })
  contents.on('did-start-loading', () => {
    loaded = false
  })
  contents.on('did-finish-load', () => {
    loaded = true
    options.onLoaded(contents)
    for (const command of queued.splice(0)) {
      contents.send(ipcChannels.menu, command)
    }
  })
  window.on('close', () => {
    const bounds = window.getNormalBounds()
    const saved: WindowState = { ...bounds, maximized: window.isMaximized() }
    try {
      options.appStore?.setWindowState(mainWindowStateKey, saved)
    } catch (thrown) {
      console.error('[sluice] could not save the window size:', thrown)
    }
  })
  window.on('closed', () => options.onClosed(contentsId))
  void window.loadURL(options.url)

  return {
    window,
    sendCommand: (command) => {
      if (loaded && !contents.isDestroyed()) {
        contents.send(ipcChannels.menu, command)
      } else {
        queued.push(command)
      }
    },
  }
}
