import { servicePortMessage } from '../../../src-shared/host'
import type {
  ClientMessage,
  MessageChannelLike,
  ServiceMessage,
} from '../../../src-shared/transport'

/** The window the preload posts ports to (the page's own; a stand-in in tests). */
export type PortTarget = Pick<Window, 'addEventListener'>

type PortConsumer = (port: MessagePort) => void

/** Ports posted to one window, kept until someone takes them. */
interface PortFeed {
  consume(consumer: PortConsumer): void
}

const feeds = new WeakMap<PortTarget, PortFeed>()

/**
 * Starts listening on `target` for the preload's `{ type: servicePortMessage }` messages. Only
 * messages whose source is the window itself count: the preload posts from this window, while an
 * iframe or another window would be a different source. Before a consumer is there, only the
 * newest port is kept.
 */
function feedFor(target: PortTarget): PortFeed {
  const existing = feeds.get(target)
  if (existing) {
    return existing
  }
  let consumer: PortConsumer | undefined
  let waiting: MessagePort | undefined
  target.addEventListener('message', (event: MessageEvent) => {
    const data: unknown = event.data
    const isPortMessage =
      event.source === target &&
      typeof data === 'object' &&
      data !== null &&
      (data as { type?: unknown }).type === servicePortMessage
    const port = event.ports[0]
    if (!isPortMessage || port === undefined) {
      return
    }
    if (consumer) {
      consumer(port)
    } else {
      waiting?.close()
      waiting = port
    }
  })
  const feed: PortFeed = {
    consume(next) {
      consumer = next
      if (waiting) {
        const port = waiting
        waiting = undefined
        next(port)
      }
    },
  }
  feeds.set(target, feed)
  return feed
}

/**
 * Keeps the ports posted to `target` from now on, for a later `waitForElectronChannel(target)`.
 * This module does it for the page's window as soon as it loads, so a port that comes before the
 * app asks for it is not lost.
 */
export function listenForServicePorts(target: PortTarget): void {
  feedFor(target)
}

if (typeof window !== 'undefined') {
  listenForServicePorts(window)
}

/**
 * The service's channel in the desktop app: resolves with the first MessagePort the preload
 * forwards. Later ports (after the engine process restarted) replace it under the same channel:
 * the old port is closed and messages flow over the new one; requests in flight on the old port
 * stay unanswered.
 */
export function waitForElectronChannel(
  target: PortTarget = window,
): Promise<MessageChannelLike<ClientMessage, ServiceMessage>> {
  return new Promise((resolve) => {
    let current: MessagePort | undefined
    let handler: ((message: ServiceMessage) => void) | undefined
    const early: ServiceMessage[] = []
    const channel: MessageChannelLike<ClientMessage, ServiceMessage> = {
      send: (message) => {
        if (current === undefined) {
          throw new Error('the service port is not connected')
        }
        current.postMessage(message)
      },
      onMessage: (next) => {
        handler = next
        for (const message of early.splice(0)) {
          next(message)
        }
      },
    }
    feedFor(target).consume((port) => {
      const first = current === undefined
      current?.close()
      current = port
      port.onmessage = (event: MessageEvent) => {
        const message = event.data as ServiceMessage
        if (handler) {
          handler(message)
        } else {
          early.push(message)
        }
      }
      port.start()
      if (first) {
        resolve(channel)
      }
    })
  })
}
