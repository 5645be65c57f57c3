import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { app, BrowserWindow, net, protocol, session } from 'electron'
import { APP_CSP, APP_SCHEME, APP_URL, resolveAppFile } from './app-protocol'

const rendererDir = join(import.meta.dirname, '../renderer')
const preloadFile = join(import.meta.dirname, '../preload/index.cjs')

// Only an unpackaged app may be pointed at a dev server, so an environment variable cannot make a
// shipped build load remote content.
const devServerUrl = app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL']

let mainWindow: BrowserWindow | null = null

/** Serves out/renderer under sluice://app/ with the CSP header; nothing outside it. */
async function serveAppFile(request: Request): Promise<Response> {
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

/** Opens the one Sluice window: sandboxed, isolated, no Node in the page. */
function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    title: 'Sluice',
    show: false,
    webPreferences: {
      preload: preloadFile,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  })
  window.once('ready-to-show', () => window.show())
  window.on('closed', () => {
    mainWindow = null
  })
  void window.loadURL(devServerUrl ?? APP_URL)
  return window
}

/** Locks down every web contents, including ones a bug or a later feature might create. */
function denyNavigationAndPopups(): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault())
    contents.on('will-attach-webview', (event) => event.preventDefault())
    contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  })
}

// A second launch (e.g. double-clicking a .sluice file) focuses the running app instead.
if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  // Both must happen before 'ready': the sandbox for all renderers, and the scheme's privileges.
  app.enableSandbox()
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ])
  denyNavigationAndPopups()

  app.on('second-instance', () => {
    if (mainWindow !== null) {
      if (mainWindow.isMinimized()) {
        mainWindow.restore()
      }
      mainWindow.focus()
    }
  })

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') {
      app.quit()
    }
  })

  void app.whenReady().then(() => {
    protocol.handle(APP_SCHEME, serveAppFile)
    // Sluice needs no camera, microphone, notifications or geolocation.
    session.defaultSession.setPermissionRequestHandler((_contents, _permission, grant) =>
      grant(false),
    )
    // The engine service (src-main/service in a utilityProcess, a MessagePort per window) starts here.
    mainWindow = createMainWindow()
    app.on('activate', () => {
      if (mainWindow === null) {
        mainWindow = createMainWindow()
      }
    })
  })
}
