import { connectApiChannel } from '../../../src-shared/transport'
import { waitForElectronChannel } from './electron-channel'
import type { FilePickRequest, SluiceHost } from './host'
import { openWebSocketChannel } from './websocket-channel'

/** The in-app file picker the web host uses in place of native dialogs. */
export interface FilePickerUi {
  pick(mode: 'open' | 'save', request: FilePickRequest): Promise<string | null>
}

/**
 * Picks the host once, at start: the desktop app's preload (`window.sluice`) hands over a
 * MessagePort to the engine's utility process; otherwise the page came from the web host and
 * talks to the engine over a WebSocket on the same origin.
 */
export async function connectToHost(picker: FilePickerUi): Promise<SluiceHost> {
  const desktop = window.sluice
  if (desktop) {
    const api = connectApiChannel(await waitForElectronChannel())
    const filters = (request: FilePickRequest) =>
      request.extensions
        ? [
            ...(request.filters ?? []),
            { name: request.extensions.join(', '), extensions: request.extensions },
          ]
        : request.filters
    return {
      kind: 'desktop',
      api,
      pickFile: (request) => desktop.openFile({ ...request, filters: filters(request) ?? [] }),
      pickSaveFile: (request) => desktop.saveFile({ ...request, filters: filters(request) ?? [] }),
      pathForDroppedFile: (file) => desktop.pathForFile(file) || null,
      onMenuCommand: (listener) => desktop.onMenuCommand(listener),
      onDisconnect: () => undefined,
    }
  }
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
  const channel = await openWebSocketChannel(`${scheme}://${location.host}/api`)
  return {
    kind: 'web',
    api: connectApiChannel(channel),
    pickFile: (request) => picker.pick('open', request),
    pickSaveFile: (request) => picker.pick('save', request),
    // A browser never says where a dropped file came from.
    pathForDroppedFile: () => null,
    onMenuCommand: () => () => undefined,
    onDisconnect: (listener) => channel.onClose(listener),
  }
}
