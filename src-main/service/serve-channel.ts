import type { MessageChannelLike, ServiceMessage } from '../../src-shared/transport'
import { clientMessageSchema } from '../../src-shared/transport'
import type { SluiceService } from './service'

/**
 * Serves the service over one message channel (a WebSocket, an Electron MessagePort): answers
 * each request by its id and forwards every event. Messages that are not requests are dropped:
 * without an id there is no one to answer. Returns a function that stops the event forwarding.
 */
export function serveChannel(
  service: SluiceService,
  channel: MessageChannelLike<ServiceMessage, unknown>,
): () => void {
  const unsubscribe = service.subscribe((event) => channel.send({ kind: 'event', event }))
  channel.onMessage((raw) => {
    const parsed = clientMessageSchema.safeParse(raw)
    if (!parsed.success) {
      return
    }
    const { id, method, params } = parsed.data
    void service.request(method, params).then((response) => {
      channel.send({ kind: 'response', id, response })
    })
  })
  return unsubscribe
}
