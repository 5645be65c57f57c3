import { MessageChannelMain, utilityProcess, type UtilityProcess, type WebContents } from 'electron'
import { servicePortMessage } from '../../../src-shared/host'
import type { SecretStore } from '../../service'
import type { Log } from '../../store/app-store-recovery'
import { channelFromPort } from './port-channel'
import { answerSecretRequests, type SecretResponse } from './port-secrets'
import { fromServiceProcessSchema, type ToServiceProcess } from './service-protocol'

export interface ServiceHostOptions {
  /** The utility process's entry, out/main/service.js. */
  entry: string
  userData: string
  /** The safeStorage store; main answers the service's secret requests from it. */
  secrets: SecretStore
  /** The service changed recent projects or the language. */
  onAppStoreChanged: () => void
  log: Log
}

/** Main's handle on the engine service's utility process. */
export interface ServiceHost {
  /** Gives the page in `contents` a fresh port to the service; call after every load. */
  connect(contents: WebContents): void
  /** Stops serving the page of webContents `contentsId` (its window closed). */
  disconnect(contentsId: number): void
  /** Asks the service to close its project and exit; kills it after a grace period. */
  stop(): Promise<void>
}

/** How long the service may take to close its project before it is killed on quit. */
const shutdownGraceMs = 5000
/** A process that lived this long is healthy again: its next restart comes quickly. */
const healthyRunMs = 60_000

/**
 * Runs the engine service in an Electron utilityProcess (electronjs.org/docs/latest/api/utility-process)
 * and hands every connected window a MessagePort to it: one end of a MessageChannelMain goes to
 * the service, the other to the page (webContents.postMessage with a transfer list). Main itself
 * never runs engine work. When the process dies it is restarted, with a growing delay while it
 * keeps dying quickly, and every window gets a new port.
 */
export function startServiceHost(options: ServiceHostOptions): ServiceHost {
  const { entry, userData, secrets, onAppStoreChanged, log } = options
  const windows = new Map<number, WebContents>()
  let child: UtilityProcess | undefined
  let stopping = false
  let quickDeaths = 0
  let exited: Promise<void> = Promise.resolve()

  const send = (message: ToServiceProcess, ports: Electron.MessagePortMain[] = []): void =>
    child?.postMessage(message, ports)

  const handPort = (contentsId: number, contents: WebContents): void => {
    if (contents.isDestroyed()) {
      windows.delete(contentsId)
      return
    }
    if (child === undefined) {
      // Restarting: the new process hands out ports to every window in `windows`.
      return
    }
    const { port1, port2 } = new MessageChannelMain()
    send({ type: 'connect-window', windowId: contentsId }, [port1])
    contents.postMessage(servicePortMessage, null, [port2])
  }

  const start = (): void => {
    const startedAt = Date.now()
    const forked = utilityProcess.fork(entry, [], { serviceName: 'Sluice engine' })
    child = forked
    let markExited = (): void => undefined
    exited = new Promise((resolve) => {
      markExited = resolve
    })

    const secretsPorts = new MessageChannelMain()
    answerSecretRequests(channelFromPort<SecretResponse>(secretsPorts.port1), secrets)
    // The desktop store's hint is the same for every reference (see PortSecretsInfo).
    send(
      {
        type: 'init',
        userData,
        secrets: { description: secrets.description, hint: secrets.hint('') },
      },
      [secretsPorts.port2],
    )
    for (const [contentsId, contents] of windows) {
      handPort(contentsId, contents)
    }

    forked.on('message', (data: unknown) => {
      const parsed = fromServiceProcessSchema.safeParse(data)
      if (!parsed.success) {
        log(`Ignored a malformed message from the engine process: ${parsed.error.message}`)
      } else if (parsed.data.type === 'app-store-changed') {
        onAppStoreChanged()
      }
    })
    forked.on('exit', (code) => {
      secretsPorts.port1.close()
      markExited()
      if (child !== forked) {
        return
      }
      child = undefined
      if (stopping) {
        return
      }
      const ranFor = Date.now() - startedAt
      quickDeaths = ranFor >= healthyRunMs ? 0 : quickDeaths + 1
      const delay = Math.min(30_000, 250 * 2 ** quickDeaths)
      log(
        `The engine process exited with code ${code} after ${Math.round(ranFor / 1000)} s; restarting it in ${delay} ms and reconnecting ${windows.size} window(s).`,
      )
      setTimeout(() => {
        if (!stopping && child === undefined) {
          start()
        }
      }, delay)
    })
  }

  start()

  return {
    connect: (contents) => {
      windows.set(contents.id, contents)
      handPort(contents.id, contents)
    },
    disconnect: (contentsId) => {
      windows.delete(contentsId)
      send({ type: 'disconnect-window', windowId: contentsId })
    },
    stop: async () => {
      stopping = true
      const running = child
      if (running === undefined) {
        return
      }
      send({ type: 'shutdown' })
      const timer = setTimeout(() => {
        log('The engine process did not exit in time; killing it.')
        running.kill()
      }, shutdownGraceMs)
      await exited
      clearTimeout(timer)
    },
  }
}
