import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import { extname, isAbsolute, relative, resolve, sep } from 'node:path'
import { pipeline } from 'node:stream/promises'

/**
 * The Content-Security-Policy of every web host response. Stricter than nothing, looser than the
 * desktop app's APP_CSP in two places: Vuetify and Monaco inject `<style>` elements at run time
 * (`'unsafe-inline'` styles), and Monaco starts its workers from blob: URLs. `connect-src 'self'`
 * covers the API's WebSocket on the same host and port.
 */
export const WEB_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

/** Headers every response carries, the 403 page and errors included. */
export const securityHeaders: Record<string, string> = {
  'Content-Security-Policy': WEB_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.eot': 'application/vnd.ms-fontobject',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
}

/** The `Content-Type` of a file by its extension; unknown ones are plain bytes. */
export function contentTypeFor(file: string): string {
  return contentTypes[extname(file).toLowerCase()] ?? 'application/octet-stream'
}

/**
 * The file under `rootDir` that a request path (still percent-encoded, as in the request line)
 * names, or null when it must not be served: a malformed escape, a NUL, or a path that leaves
 * `rootDir` (`..`, `%2e%2e`, `..%2f`, `%5c`, an absolute path after decoding). The same rule as
 * resolveAppFile in the desktop shell.
 */
export function resolveStaticFile(rootDir: string, encodedPath: string): string | null {
  let pathname: string
  try {
    pathname = decodeURIComponent(encodedPath)
  } catch {
    return null
  }
  if (pathname.includes('\0') || !pathname.startsWith('/')) {
    return null
  }
  const root = resolve(rootDir)
  const file = resolve(root, `.${pathname === '/' ? '/index.html' : pathname}`)
  const inside = relative(root, file)
  if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
    return null
  }
  return file
}

/** Sends a short plain-text answer with the security headers. */
export function sendText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, {
    ...securityHeaders,
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
  })
  response.end(text)
}

/**
 * Streams `file` (already resolved inside the renderer folder) or answers 404. HTML is never
 * cached, so a rebuilt renderer shows up on reload; hashed assets may be.
 */
export async function sendStaticFile(
  response: ServerResponse,
  file: string | null,
  headOnly: boolean,
): Promise<void> {
  const info = file === null ? undefined : await stat(file).catch(() => undefined)
  if (file === null || !info?.isFile()) {
    sendText(response, 404, 'Not found.\n')
    return
  }
  const type = contentTypeFor(file)
  response.writeHead(200, {
    ...securityHeaders,
    'Content-Type': type,
    'Content-Length': String(info.size),
    'Cache-Control': type.startsWith('text/html') ? 'no-store' : 'no-cache',
  })
  if (headOnly) {
    response.end()
    return
  }
  // A client that goes away mid-file ends the pipeline with an error; there is no one to tell.
  await pipeline(createReadStream(file), response).catch(() => undefined)
}
