import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

/** The cookie that carries the session token after the first visit with `?token=`. */
export const tokenCookie = 'sluice_token'

/** A fresh session token: 32 random bytes, base64url (URL- and cookie-safe). */
export function createSessionToken(): string {
  return randomBytes(32).toString('base64url')
}

/** A token travels in a URL and a cookie, so it is kept to characters neither needs to escape. */
export function isValidToken(token: string): boolean {
  return /^[A-Za-z0-9._~-]+$/.test(token)
}

/**
 * Compares a token a request brought with the session's in constant time. Both sides are hashed
 * first so that the comparison takes as long for a wrong length as for a wrong byte.
 */
export function tokensMatch(given: string, expected: string): boolean {
  const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest()
  return timingSafeEqual(digest(given), digest(expected))
}

/** The value of one cookie in a `Cookie` header, or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const pair of (header ?? '').split(';')) {
    const equals = pair.indexOf('=')
    if (equals > 0 && pair.slice(0, equals).trim() === name) {
      return pair.slice(equals + 1).trim()
    }
  }
  return undefined
}

/** The `Set-Cookie` value that lets the browser in on its next requests. */
export function tokenCookieHeader(token: string): string {
  return `${tokenCookie}=${token}; HttpOnly; SameSite=Strict; Path=/`
}

/** True when the request carries the session token, in the cookie or as `?token=`. */
export function hasSessionToken(request: IncomingMessage, url: URL, token: string): boolean {
  const fromCookie = readCookie(request.headers.cookie, tokenCookie)
  const fromQuery = url.searchParams.get('token')
  return [fromCookie, fromQuery].some(
    (given) => given !== undefined && given !== null && tokensMatch(given, token),
  )
}

/**
 * The origins a page of this host has: the address printed at start, and `localhost` on the same
 * port (the same server under its other loopback name). A WebSocket whose `Origin` is anything
 * else was opened by another site's page, which must not drive the API (cross-site WebSocket
 * hijacking: browsers do not apply the same-origin policy to WebSockets).
 */
export function ownOrigins(port: number): string[] {
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`]
}

/**
 * True when the `Host` header names this server. Another name resolving to 127.0.0.1 (DNS
 * rebinding) is refused before the token is even looked at.
 */
export function isOwnHost(request: IncomingMessage, port: number): boolean {
  const host = request.headers.host?.toLowerCase()
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`
}
