import type {
  ClientMessage,
  MessageChannelLike,
  ServiceMessage,
} from '../../../src-shared/transport'

/** The API's channel to the web host, and word of when it goes away. */
export type WebSocketChannel = MessageChannelLike<ClientMessage, ServiceMessage> & {
  /** Called once when the connection closes, with a reason to show; at once if it already has. */
  onClose(listener: (reason: string) => void): void
}

/** Why a WebSocket closed, in words a person can act on. */
function closeReason(event: CloseEvent): string {
  if (event.code === 1000 || event.code === 1001) {
    return event.reason || 'Sluice stopped.'
  }
  if (event.code === 1009) {
    return 'A message was too large for the connection, which closed.'
  }
  const detail = event.reason ? `: ${event.reason}` : ''
  return `The connection to Sluice was lost (code ${event.code}${detail}).`
}

/**
 * Opens the web host's API socket (`ws(s)://host/api`): resolves once it is open, rejects with a
 * readable Error when it cannot connect (the host stopped, or the page lacks its token, which a
 * browser does not tell scripts apart). Messages are JSON text both ways; frames that do not
 * parse, or are not shaped like a service message, are dropped.
 */
export function openWebSocketChannel(url: string): Promise<WebSocketChannel> {
  return new Promise((resolve, reject) => {
    let socket: WebSocket
    try {
      socket = new WebSocket(url)
    } catch (thrown) {
      const reason = thrown instanceof Error ? thrown.message : String(thrown)
      reject(new Error(`Could not connect to Sluice at ${url}: ${reason}`))
      return
    }
    let opened = false
    let closedWith: string | undefined
    const closeListeners: Array<(reason: string) => void> = []
    let handler: (message: ServiceMessage) => void = () => undefined

    socket.addEventListener('message', (event: MessageEvent<unknown>) => {
      if (typeof event.data !== 'string') {
        return
      }
      let parsed: unknown
      try {
        parsed = JSON.parse(event.data)
      } catch {
        return
      }
      if (isServiceMessage(parsed)) {
        handler(parsed)
      }
    })

    // A 'close' follows every 'error' and is where the channel acts; the error itself carries no
    // detail in a browser.
    socket.addEventListener('error', () => undefined)
    socket.addEventListener('close', (event) => {
      if (!opened) {
        reject(
          new Error(
            `Could not connect to Sluice at ${url}. Check that \`npm run web\` is still running ` +
              'and open the address it printed (with its ?token=).',
          ),
        )
        return
      }
      closedWith = closeReason(event)
      for (const listener of closeListeners.splice(0)) {
        listener(closedWith)
      }
    })

    socket.addEventListener('open', () => {
      opened = true
      resolve({
        send: (message) => {
          if (socket.readyState !== WebSocket.OPEN) {
            // connectApiChannel turns this into a SERVICE_UNREACHABLE answer to the caller.
            throw new Error(closedWith ?? 'The connection to Sluice is closed.')
          }
          socket.send(JSON.stringify(message))
        },
        onMessage: (next) => {
          handler = next
        },
        onClose: (listener) => {
          if (closedWith === undefined) {
            closeListeners.push(listener)
          } else {
            const reason = closedWith
            queueMicrotask(() => listener(reason))
          }
        },
      })
    })
  })
}

/** Just enough of a check that a handler is not handed a frame of another shape. */
function isServiceMessage(value: unknown): value is ServiceMessage {
  if (!isObject(value)) {
    return false
  }
  const message = value as { kind?: unknown; id?: unknown; response?: unknown; event?: unknown }
  if (message.kind === 'response') {
    return typeof message.id === 'number' && isObject(message.response)
  }
  return message.kind === 'event' && isObject(message.event)
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null
}
