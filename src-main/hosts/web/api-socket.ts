import { WebSocket, type RawData } from 'ws'
import type { SluiceService } from '../../service'
import { serveChannel } from '../../service/serve-channel'

/** The text of one frame, whatever shape `ws` hands it in. */
function frameText(data: RawData): string {
  if (Array.isArray(data)) {
    return Buffer.concat(data).toString('utf8')
  }
  if (data instanceof ArrayBuffer) {
    return Buffer.from(data).toString('utf8')
  }
  return data.toString('utf8')
}

/** One frame as JSON, or undefined for anything that does not parse. */
function parseFrame(data: RawData): unknown {
  try {
    return JSON.parse(frameText(data)) as unknown
  } catch {
    return undefined
  }
}

/**
 * Serves the API over one browser's WebSocket: JSON text frames both ways. Junk frames are
 * dropped (serveChannel also drops anything that is not a request), answers to a socket that
 * closed meanwhile are dropped, and the event subscription ends with the socket.
 */
export function serveApiSocket(service: SluiceService, socket: WebSocket): void {
  const unsubscribe = serveChannel(service, {
    send: (message) => {
      if (socket.readyState === WebSocket.OPEN) {
        socket.send(JSON.stringify(message))
      }
    },
    onMessage: (handler) => {
      socket.on('message', (data) => {
        const parsed = parseFrame(data)
        if (parsed !== undefined) {
          handler(parsed)
        }
      })
    },
  })
  socket.on('close', unsubscribe)
  // `ws` closes the socket itself on a protocol error or an oversized frame; without a listener
  // the 'error' event would throw and take the whole host down.
  socket.on('error', () => socket.terminate())
}
