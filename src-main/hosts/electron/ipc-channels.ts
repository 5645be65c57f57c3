/**
 * The IPC channel names between main and the preload, in one place so both sides agree. Every
 * channel carries the `sluice:` prefix; the service's own traffic does not use IPC at all but a
 * MessagePort per window.
 */
export const ipcChannels = {
  openFile: 'sluice:open-file',
  saveFile: 'sluice:save-file',
  menu: 'sluice:menu',
} as const
