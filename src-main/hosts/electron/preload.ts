import { contextBridge } from 'electron'
import { version } from '../../../package.json'

/**
 * Everything the page can reach of the app, as `window.sluice`: named, plain values only.
 * ipcRenderer is never exposed; the typed API proxy joins this object in a later issue.
 */
const sluice = { version, platform: process.platform } as const

contextBridge.exposeInMainWorld('sluice', sluice)
