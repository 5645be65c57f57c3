import type { MessageChannelLike } from '../../../src-shared/transport'

/**
 * The part of Electron's MessagePortMain (main process and utility process) that Sluice uses, so
 * the protocols on top can be tested with Node's worker_threads ports.
 */
export interface MainPortLike {
  on(event: 'message', listener: (messageEvent: { data: unknown }) => void): unknown
  on(event: 'close', listener: () => void): unknown
  postMessage(message: unknown): void
  start(): void
  close(): void
}

/**
 * A message channel over a MessagePortMain. MessagePortMain queues messages until `start()` is
 * called (electronjs.org/docs/latest/api/message-port-main), so this starts the port once the
 * handler is attached.
 */
export function channelFromPort<Outgoing, Incoming = unknown>(
  port: MainPortLike,
): MessageChannelLike<Outgoing, Incoming> {
  return {
    send: (message) => port.postMessage(message),
    onMessage: (handler) => {
      port.on('message', (event) => handler(event.data as Incoming))
      port.start()
    },
  }
}
