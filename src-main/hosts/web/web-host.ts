import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { WebSocketServer } from 'ws'
import type { SluiceService } from '../../service'
import { serveApiSocket } from './api-socket'
import { resolveStaticFile, securityHeaders, sendStaticFile, sendText } from './static-files'
import {
  createSessionToken,
  hasSessionToken,
  isOwnHost,
  isValidToken,
  ownOrigins,
  tokenCookieHeader,
  tokensMatch,
} from './web-access'

/** What the web host serves, and where. */
export interface WebHostOptions {
  service: SluiceService
  /** The built renderer (out/renderer); nothing outside it is served. */
  rendererDir: string
  /** 0 (the default) picks a free port. */
  port?: number
  /** Default: 32 random bytes, base64url. */
  token?: string
}

/** A running web host. */
export interface WebHost {
  /** The address to open: `http://127.0.0.1:PORT/?token=…`. */
  url: string
  /** `http://127.0.0.1:PORT`. */
  origin: string
  token: string
  /** Closes every socket and stops listening; the service stays open (its owner closes it). */
  close(): Promise<void>
}

/** The path the API's WebSocket is served at. */
export const apiPath = '/api'

/** Pipeline imports travel as one message, so frames may be big; larger ones close the socket. */
const maxPayload = 100 * 1024 * 1024

const forbiddenText =
  'Sluice needs its session token.\n\n' +
  'Open the address that was printed when Sluice started ' +
  '(http://127.0.0.1:PORT/?token=…), or restart it with `npm run web`.\n'

/**
 * Starts the web host: the built renderer and the Sluice API over a WebSocket, on 127.0.0.1 only,
 * behind a session token (like a notebook server). The first visit brings the token in the URL;
 * it is swapped for an HttpOnly cookie and removed from the address bar.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? createSessionToken()
  if (!isValidToken(token)) {
    throw new Error('The web host token must be letters, digits and . _ ~ - only.')
  }
  const sockets = new WebSocketServer({ noServer: true, maxPayload })
  sockets.on('connection', (socket) => serveApiSocket(options.service, socket))
  let port = 0

  const server = createServer((request, response) => {
    void answerHttp(request, response).catch(() => {
      if (!response.headersSent) {
        sendText(response, 500, 'Internal error.\n')
      } else {
        response.destroy()
      }
    })
  })

  async function answerHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = requestUrl(request)
    if (url === null || !isOwnHost(request, port)) {
      sendText(response, 400, 'Bad request.\n')
      return
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD')
      sendText(response, 405, 'Method not allowed.\n')
      return
    }
    const fromQuery = url.searchParams.get('token')
    if (fromQuery !== null && url.pathname === '/' && tokensMatch(fromQuery, token)) {
      // Keep the token out of the address bar and the history: the cookie carries it from here.
      response.writeHead(302, {
        ...securityHeaders,
        'Set-Cookie': tokenCookieHeader(token),
        Location: '/',
        'Cache-Control': 'no-store',
      })
      response.end()
      return
    }
    if (!hasSessionToken(request, url, token)) {
      sendText(response, 403, forbiddenText)
      return
    }
    const file = resolveStaticFile(options.rendererDir, rawPathname(request))
    await sendStaticFile(response, file, request.method === 'HEAD')
  }

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = requestUrl(request)
    if (url === null || !isOwnHost(request, port) || url.pathname !== apiPath) {
      refuseUpgrade(socket, 404, 'Not Found')
      return
    }
    const origin = request.headers.origin
    if (!hasSessionToken(request, url, token) || !ownOrigins(port).includes(origin ?? '')) {
      refuseUpgrade(socket, 403, 'Forbidden')
      return
    }
    sockets.handleUpgrade(request, socket, head, (ws) => sockets.emit('connection', ws, request))
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  port = (server.address() as AddressInfo).port
  const origin = `http://127.0.0.1:${port}`

  return {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    close: async () => {
      for (const client of sockets.clients) {
        client.close(1001, 'Sluice is shutting down')
      }
      // Sockets that do not finish the closing handshake in time are cut.
      const cut = setTimeout(() => {
        for (const client of sockets.clients) {
          client.terminate()
        }
      }, 1000)
      await new Promise<void>((resolve) => sockets.close(() => resolve()))
      clearTimeout(cut)
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
    },
  }
}

/** The request's URL, or null when the request line is not a path (e.g. absolute-form). */
function requestUrl(request: IncomingMessage): URL | null {
  const target = request.url ?? ''
  if (!target.startsWith('/')) {
    return null
  }
  try {
    return new URL(target, 'http://127.0.0.1')
  } catch {
    return null
  }
}

/**
 * The path as sent, still percent-encoded and not normalised: the URL parser would resolve
 * `/../x` and `/%2e%2e/x` to `/x`, which would hide an attempt to leave the renderer folder
 * instead of refusing it. resolveStaticFile decodes and checks it.
 */
function rawPathname(request: IncomingMessage): string {
  const target = request.url ?? '/'
  const end = target.search(/[?#]/)
  return end === -1 ? target : target.slice(0, end)
}

/** Answers an upgrade request that will not become a WebSocket, and hangs up. */
function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\n` +
      `Content-Length: ${reason.length + 1}\r\n\r\n${reason}\n`,
  )
}
