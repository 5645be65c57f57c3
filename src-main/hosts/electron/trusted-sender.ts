import { APP_SCHEME } from './app-protocol'

/**
 * Whether an IPC message comes from Sluice's own page: the frame's URL must be on the app's
 * origin (`sluice://app/…`), or on the dev server's origin in an unpackaged app. Anything else
 * (another site, file://, about:blank, a frame that has gone: `senderFrame` is null then) is
 * refused. Electron's security checklist: "Validate the sender of all IPC messages"
 * (electronjs.org/docs/latest/tutorial/security#17-validate-the-sender-of-all-ipc-messages).
 */
export function isTrustedSender(
  frameUrl: string | null | undefined,
  options: { devServerUrl?: string | undefined },
): boolean {
  if (typeof frameUrl !== 'string' || frameUrl === '') {
    return false
  }
  let url: URL
  try {
    url = new URL(frameUrl)
  } catch {
    return false
  }
  // Node's URL gives non-special schemes an opaque origin ('null'), so compare scheme and host.
  if (url.protocol === `${APP_SCHEME}:` && url.host === 'app') {
    return url.username === '' && url.password === ''
  }
  if (options.devServerUrl === undefined) {
    return false
  }
  let devServer: URL
  try {
    devServer = new URL(options.devServerUrl)
  } catch {
    return false
  }
  return (
    (devServer.protocol === 'http:' || devServer.protocol === 'https:') &&
    url.origin === devServer.origin
  )
}
