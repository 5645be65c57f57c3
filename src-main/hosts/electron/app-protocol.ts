import { isAbsolute, relative, resolve, sep } from 'node:path'

/** The custom scheme app content is served from, instead of file:// (Electron security #18). */
export const APP_SCHEME = 'sluice'

/** The page the main window loads in a packaged or previewed build. */
export const APP_URL = `${APP_SCHEME}://app/index.html`

/**
 * The Content-Security-Policy sent with every app response. `frame-ancestors` works only as a
 * header, which is why the policy is set here and not only in index.html's meta tag. Scripts come
 * from the app only. Styles may be inline because Vuetify and Monaco insert `<style>` elements at
 * run time; Monaco's workers start from blob: URLs.
 */
export const APP_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

/**
 * The file under `rootDir` that an app URL names, or null when it must not be served: another
 * scheme or host, a malformed escape, or a path that leaves `rootDir` (e.g. `..%2f` sequences,
 * which the URL parser does not normalise because they are escaped).
 */
export function resolveAppFile(rootDir: string, requestUrl: string): string | null {
  let pathname: string
  try {
    const url = new URL(requestUrl)
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== 'app') {
      return null
    }
    pathname = decodeURIComponent(url.pathname)
  } catch {
    return null
  }
  if (pathname.includes('\0')) {
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
