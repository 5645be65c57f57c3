/**
 * The engine service's process: an Electron utilityProcess forked by main (service-host.ts), so
 * a long import never freezes a window. It serves the API on one MessagePort per window and asks
 * main for secrets over a port of its own. It never imports `electron`: what it needs from
 * Electron is `process.parentPort` and the MessagePortMain objects that arrive on it.
 */
import { homedir } from 'node:os'
import { join } from 'node:path'
import type { ServiceMessage } from '../../../src-shared/transport'
import { createSluiceService, type SluiceService } from '../../service'
import { serveChannel } from '../../service/serve-channel'
import type { AppStore } from '../../store'
import { openAppStoreOrStartFresh, watchAppStore } from '../../store/app-store-recovery'
import { channelFromPort, type MainPortLike } from './port-channel'
import { createPortSecrets, type PortSecretStore, type SecretRequest } from './port-secrets'
import {
  appStoreFileName,
  toServiceProcessSchema,
  type FromServiceProcess,
} from './service-protocol'

interface Connection {
  port: MainPortLike
  stop: () => void
}

const log = (message: string): void => console.log(`[sluice service] ${message}`)
const parentPort = process.parentPort
const tell = (message: FromServiceProcess): void => parentPort.postMessage(message)

let service: SluiceService | undefined
let appStore: AppStore | undefined
let secrets: PortSecretStore | undefined
const connections = new Map<number, Connection>()

function disconnect(windowId: number): void {
  const connection = connections.get(windowId)
  connections.delete(windowId)
  if (connection) {
    connection.stop()
    connection.port.close()
  }
}

async function shutdown(): Promise<void> {
  for (const windowId of [...connections.keys()]) {
    disconnect(windowId)
  }
  try {
    await service?.close()
  } finally {
    appStore?.close()
    process.exit(0)
  }
}

// Messages from main arrive in order, and parentPort queues them until this listener exists
// (electronjs.org/docs/latest/api/parent-port), so 'init' is always handled first.
parentPort.on('message', (event) => {
  const parsed = toServiceProcessSchema.safeParse(event.data)
  if (!parsed.success) {
    log(`ignored a malformed control message: ${parsed.error.message}`)
    return
  }
  const message = parsed.data
  const [port] = event.ports
  switch (message.type) {
    case 'init': {
      if (service !== undefined || port === undefined) {
        log('ignored a second or port-less init')
        return
      }
      const secretsChannel = channelFromPort<SecretRequest>(port)
      secrets = createPortSecrets(secretsChannel, message.secrets)
      port.on('close', () => secrets?.failPending('the main process closed the secrets port'))
      const opened = openAppStoreOrStartFresh(join(message.userData, appStoreFileName), log)
      appStore = opened && watchAppStore(opened, () => tell({ type: 'app-store-changed' }))
      service = createSluiceService({ secrets, appStore, fileRoots: [homedir()] })
      tell({ type: 'ready' })
      return
    }
    case 'connect-window': {
      if (service === undefined || port === undefined) {
        log(
          `cannot serve window ${message.windowId}: ${service ? 'no port came' : 'not initialised'}`,
        )
        port?.close()
        return
      }
      disconnect(message.windowId)
      const stop = serveChannel(service, channelFromPort<ServiceMessage>(port))
      // The page's end closes when it reloads or its window closes.
      port.on('close', () => {
        if (connections.get(message.windowId)?.port === port) {
          connections.delete(message.windowId)
          stop()
        }
      })
      connections.set(message.windowId, { port, stop })
      return
    }
    case 'disconnect-window':
      disconnect(message.windowId)
      return
    case 'shutdown':
      void shutdown()
      return
  }
})
