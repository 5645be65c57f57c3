import { contextBridge, ipcRenderer, webUtils } from 'electron'
import { version } from '../../../package.json'
import {
  servicePortMessage,
  type DesktopBridge,
  type FileDialogRequest,
  type MenuCommand,
} from '../../../src-shared/host'
import { ipcChannels } from './ipc-channels'

/*
 * The sandboxed preload: everything the page can reach of the app is `window.sluice`, the
 * DesktopBridge of src-shared/host.ts, made of named functions and plain values. ipcRenderer is
 * never exposed. The service's MessagePort cannot cross the context bridge, so it is forwarded to
 * the page's own window with window.postMessage (electronjs.org/docs/latest/tutorial/message-ports,
 * "Communicating directly between the main process and the main world of a context-isolated page").
 */

// The preload runs beside a page, but tsconfig.node.json has no DOM types (and must not get them
// for all of src-main), so the two page globals used here are declared for this file alone.
declare const window: {
  postMessage(message: unknown, targetOrigin: string, transfer: readonly unknown[]): void
  addEventListener(type: 'load', listener: () => void, options: { once: boolean }): void
}
declare const document: { readonly readyState: string }

// Commands that arrive before the page subscribes (a double-clicked project at start) wait here.
const menuListeners = new Set<(command: MenuCommand) => void>()
const undelivered: MenuCommand[] = []

ipcRenderer.on(ipcChannels.menu, (_event, command: MenuCommand) => {
  if (menuListeners.size === 0) {
    undelivered.push(command)
    return
  }
  for (const listener of menuListeners) {
    listener(command)
  }
})

// The main world must have its listener in place; main sends ports after the load finished, and
// this also holds for a port that might come earlier.
const pageLoaded = new Promise<void>((resolve) => {
  if (document.readyState === 'complete') {
    resolve()
  } else {
    window.addEventListener('load', () => resolve(), { once: true })
  }
})

// A new port comes after every load and after the engine process restarts.
ipcRenderer.on(servicePortMessage, (event) => {
  void pageLoaded.then(() => window.postMessage({ type: servicePortMessage }, '*', event.ports))
})

const sluice: DesktopBridge = {
  version,
  platform: process.platform,
  openFile: (request: FileDialogRequest) =>
    ipcRenderer.invoke(ipcChannels.openFile, request) as Promise<string | null>,
  saveFile: (request: FileDialogRequest) =>
    ipcRenderer.invoke(ipcChannels.saveFile, request) as Promise<string | null>,
  pathForFile: (file) => webUtils.getPathForFile(file as File),
  onMenuCommand: (listener) => {
    menuListeners.add(listener)
    for (const command of undelivered.splice(0)) {
      listener(command)
    }
    return () => {
      menuListeners.delete(listener)
    }
  },
}

contextBridge.exposeInMainWorld('sluice', sluice)
