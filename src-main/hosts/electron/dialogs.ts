import {
  BrowserWindow,
  dialog,
  ipcMain,
  type IpcMainInvokeEvent,
  type OpenDialogOptions,
  type SaveDialogOptions,
} from 'electron'
import { z } from 'zod'
import type { FileDialogRequest } from '../../../src-shared/host'
import type { Log } from '../../store/app-store-recovery'
import { ipcChannels } from './ipc-channels'
import { isTrustedSender } from './trusted-sender'

/** A page's dialog request, never trusted: short strings, a few filters. */
const fileDialogRequestSchema = z
  .object({
    title: z.string().max(200).optional(),
    defaultPath: z.string().max(4096).optional(),
    filters: z
      .array(
        z.object({
          name: z.string().max(100),
          extensions: z.array(z.string().regex(/^(\*|[A-Za-z0-9_-]{1,20})$/)).max(20),
        }),
      )
      .max(20)
      .optional(),
  })
  .strict()

/**
 * Native open and save dialogs for the page (`window.sluice.openFile/saveFile`), attached to the
 * window that asked. Every call first checks `event.senderFrame` (isTrustedSender); a refused
 * call rejects in the page and is logged.
 */
export function handleFileDialogs(options: { devServerUrl?: string | undefined; log: Log }): void {
  const checked = (event: IpcMainInvokeEvent, raw: unknown, channel: string): FileDialogRequest => {
    const frameUrl = event.senderFrame?.url
    if (!isTrustedSender(frameUrl, options)) {
      options.log(`Refused ${channel} from ${frameUrl ?? 'a frame that is gone'}.`)
      throw new Error('This page may not open file dialogs.')
    }
    const parsed = fileDialogRequestSchema.safeParse(raw ?? {})
    if (!parsed.success) {
      throw new Error(`Invalid file dialog request: ${parsed.error.message}`)
    }
    return parsed.data
  }

  ipcMain.handle(ipcChannels.openFile, async (event, raw: unknown) => {
    const request = checked(event, raw, ipcChannels.openFile)
    const dialogOptions: OpenDialogOptions = { ...request, properties: ['openFile'] }
    const window = BrowserWindow.fromWebContents(event.sender)
    const result = window
      ? await dialog.showOpenDialog(window, dialogOptions)
      : await dialog.showOpenDialog(dialogOptions)
    return result.canceled ? null : (result.filePaths[0] ?? null)
  })

  ipcMain.handle(ipcChannels.saveFile, async (event, raw: unknown) => {
    const request = checked(event, raw, ipcChannels.saveFile)
    const dialogOptions: SaveDialogOptions = {
      ...request,
      properties: ['showOverwriteConfirmation'],
    }
    const window = BrowserWindow.fromWebContents(event.sender)
    const result = window
      ? await dialog.showSaveDialog(window, dialogOptions)
      : await dialog.showSaveDialog(dialogOptions)
    return result.canceled || result.filePath === '' ? null : result.filePath
  })
}
