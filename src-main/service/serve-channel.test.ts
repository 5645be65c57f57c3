import { afterEach, beforeEach, expect, it } from 'vitest'
import type { ApiEvent } from '../../src-shared/api'
import { SluiceFailure } from '../../src-shared/errors'
import {
  connectApiChannel,
  type ClientMessage,
  type MessageChannelLike,
  type ServiceMessage,
} from '../../src-shared/transport'
import { serveChannel } from './serve-channel'
import {
  createServiceSandbox,
  ordersCsv,
  ordersPipeline,
  type ServiceSandbox,
} from './test-support'

/** Two ends of a channel that pass messages as JSON text, as a socket or a port would. */
function channelPair(): {
  ui: MessageChannelLike<ClientMessage, ServiceMessage>
  service: MessageChannelLike<ServiceMessage, unknown> & { deliver(text: string): void }
} {
  let toService: (message: unknown) => void = () => undefined
  let toUi: (message: ServiceMessage) => void = () => undefined
  return {
    ui: {
      send: (message) => setTimeout(() => toService(JSON.parse(JSON.stringify(message)))),
      onMessage: (handler) => (toUi = handler),
    },
    service: {
      send: (message) => setTimeout(() => toUi(JSON.parse(JSON.stringify(message)))),
      onMessage: (handler) => (toService = handler),
      deliver: (text) => toService(JSON.parse(text)),
    },
  }
}

let sandbox: ServiceSandbox
beforeEach(async () => {
  sandbox = await createServiceSandbox()
  sandbox.write('orders.csv', ordersCsv(30))
})
afterEach(() => sandbox.close())

it('answers requests and forwards run events over a message channel', async () => {
  const pair = channelPair()
  serveChannel(sandbox.service, pair.service)
  const { client, subscribe } = connectApiChannel(pair.ui)
  const events: ApiEvent[] = []
  subscribe((event) => events.push(event))

  const pipeline = await client['pipeline/create']({ name: 'Orders', document: ordersPipeline() })
  const record = await client['run/wait']({
    runId: (await client['run/start']({ pipelineId: pipeline.id })).runId,
  })
  expect(record.nodes.map((node) => node.rowsOut)).toEqual([30, 20, 20])
  await new Promise((resume) => setTimeout(resume, 10))
  expect(events.map((event) => event.type)).toContain('run-finished')

  const failed = await client['pipeline/get']({ id: 'missing' }).catch(
    (thrown: SluiceFailure) => thrown.error,
  )
  expect(failed).toMatchObject({ code: 'PIPELINE_NOT_FOUND' })
})

it('ignores junk on the channel and keeps answering', async () => {
  const pair = channelPair()
  serveChannel(sandbox.service, pair.service)
  for (const junk of ['null', '"text"', '{"kind":"request"}', '{"kind":"request","id":-1}']) {
    pair.service.deliver(junk)
  }
  const { client } = connectApiChannel(pair.ui)
  expect((await client['project/info']({})).name).toBe('Shop')
})
