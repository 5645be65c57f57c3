import { z } from 'zod'

/**
 * The control messages between the main process and the engine's utility process, over
 * `child.postMessage` / `process.parentPort`. Ports travel beside them, in the event's `ports`.
 */
export type ToServiceProcess =
  /** The first message; carries the secrets port (see port-secrets.ts). */
  | { type: 'init'; userData: string; secrets: { description: string; hint: string } }
  /** Serve the API on the port that comes with it, for window `windowId` (replacing any older one). */
  | { type: 'connect-window'; windowId: number }
  /** The window closed or reloaded: stop serving its port. */
  | { type: 'disconnect-window'; windowId: number }
  /** Cancel runs, close the project and the stores, then exit. */
  | { type: 'shutdown' }

export type FromServiceProcess =
  /** The service is up and serving. */
  | { type: 'ready' }
  /** Recent projects or the language changed: main rebuilds its menu. */
  | { type: 'app-store-changed' }

export const toServiceProcessSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('init'),
    userData: z.string().min(1),
    secrets: z.object({ description: z.string(), hint: z.string() }),
  }),
  z.object({ type: z.literal('connect-window'), windowId: z.number().int() }),
  z.object({ type: z.literal('disconnect-window'), windowId: z.number().int() }),
  z.object({ type: z.literal('shutdown') }),
])

export const fromServiceProcessSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('app-store-changed') }),
])

/** The app store's file name in the user-data folder; main and the service open the same file. */
export const appStoreFileName = 'app-store.db'
