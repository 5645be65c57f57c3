import { pathToFileURL } from 'node:url'
import { net } from 'electron'
import { APP_CSP, resolveAppFile } from './app-protocol'

/** Serves `rendererDir` under sluice://app/ with the CSP header; nothing outside it. */
export async function serveAppFile(rendererDir: string, request: Request): Promise<Response> {
  const file = resolveAppFile(rendererDir, request.url)
  if (file === null) {
    return new Response('Not found', { status: 404 })
  }
  let response: Response
  try {
    response = await net.fetch(pathToFileURL(file).toString())
  } catch {
    return new Response('Not found', { status: 404 })
  }
  const headers = new Headers(response.headers)
  headers.set('Content-Security-Policy', APP_CSP)
  headers.set('X-Content-Type-Options', 'nosniff')
  return new Response(response.body, { status: response.status, headers })
}
