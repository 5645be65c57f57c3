import { afterEach, describe, expect, it } from 'vitest'
import { servicePortMessage } from '../../../src-shared/host'
import type { ServiceMessage } from '../../../src-shared/transport'
import { listenForServicePorts, waitForElectronChannel, type PortTarget } from './electron-channel'

type Listener = (event: MessageEvent) => void

/** A stand-in for the page's window: delivers messages the way the preload's postMessage does. */
function fakeWindow() {
  const listeners: Listener[] = []
  const target = {
    addEventListener: (type: string, listener: Listener) => {
      if (type === 'message') {
        listeners.push(listener)
      }
    },
  } as unknown as PortTarget
  const post = (data: unknown, ports: MessagePort[], source: unknown = target) => {
    for (const listener of listeners) {
      listener({ data, ports, source } as unknown as MessageEvent)
    }
  }
  return { target, post }
}

const channels: MessageChannel[] = []
function newChannel(): MessageChannel {
  const channel = new MessageChannel()
  channels.push(channel)
  return channel
}

afterEach(() => {
  for (const channel of channels.splice(0)) {
    channel.port1.close()
    channel.port2.close()
  }
})

/** The service's end: collects requests, can answer. */
function serviceEnd(port: MessagePort) {
  const received: unknown[] = []
  port.onmessage = (event: MessageEvent) => received.push(event.data)
  return { received, send: (message: ServiceMessage) => port.postMessage(message) }
}

const response = (id: number): ServiceMessage => ({
  kind: 'response',
  id,
  response: { ok: true, value: id },
})

describe('waitForElectronChannel', () => {
  it('connects over the port the preload forwards, both ways', async () => {
    const page = fakeWindow()
    const { port1, port2 } = newChannel()
    const service = serviceEnd(port2)

    const connecting = waitForElectronChannel(page.target)
    page.post({ type: servicePortMessage }, [port1])
    const channel = await connecting
    const incoming: ServiceMessage[] = []
    channel.onMessage((message) => incoming.push(message))

    channel.send({ kind: 'request', id: 1, method: 'project/recent', params: {} })
    service.send(response(1))
    await expect
      .poll(() => service.received)
      .toEqual([{ kind: 'request', id: 1, method: 'project/recent', params: {} }])
    await expect.poll(() => incoming).toEqual([response(1)])
  })

  it('ignores messages from other sources, of other types, or without a port', async () => {
    const page = fakeWindow()
    const stranger = newChannel()
    const real = newChannel()
    const service = serviceEnd(real.port2)

    const connecting = waitForElectronChannel(page.target)
    page.post({ type: servicePortMessage }, [stranger.port1], { frame: 'iframe' })
    page.post({ type: 'other' }, [stranger.port1])
    page.post('sluice:port', [stranger.port1])
    page.post({ type: servicePortMessage }, [])
    page.post({ type: servicePortMessage }, [real.port1])
    const channel = await connecting

    channel.send({ kind: 'request', id: 7, method: 'settings/get', params: {} })
    await expect.poll(() => service.received).toHaveLength(1)
  })

  it('keeps the newest port that came before anyone asked', async () => {
    const page = fakeWindow()
    const stale = newChannel()
    const { port1, port2 } = newChannel()
    const service = serviceEnd(port2)
    let staleClosed = false
    stale.port2.addEventListener('close', () => {
      staleClosed = true
    })

    listenForServicePorts(page.target)
    page.post({ type: servicePortMessage }, [stale.port1])
    page.post({ type: servicePortMessage }, [port1])
    const channel = await waitForElectronChannel(page.target)

    channel.send({ kind: 'request', id: 2, method: 'settings/get', params: {} })
    await expect.poll(() => service.received).toHaveLength(1)
    await expect.poll(() => staleClosed).toBe(true)
  })

  it('switches to the new port after the engine restarts, under the same channel', async () => {
    const page = fakeWindow()
    const first = newChannel()
    const second = newChannel()
    const oldService = serviceEnd(first.port2)
    const newService = serviceEnd(second.port2)

    const connecting = waitForElectronChannel(page.target)
    page.post({ type: servicePortMessage }, [first.port1])
    const channel = await connecting
    const incoming: ServiceMessage[] = []
    channel.onMessage((message) => incoming.push(message))

    page.post({ type: servicePortMessage }, [second.port1])
    channel.send({ kind: 'request', id: 3, method: 'settings/get', params: {} })
    newService.send(response(3))

    await expect.poll(() => newService.received).toHaveLength(1)
    await expect.poll(() => incoming).toEqual([response(3)])
    expect(oldService.received).toEqual([])
  })
})
