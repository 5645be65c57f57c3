import { join } from 'node:path'
import { app, BrowserWindow, Menu, protocol, safeStorage, session } from 'electron'
import type { MenuCommand } from '../../../src-shared/host'
import type { UiLanguage } from '../../../src-shared/project'
import type { AppStore } from '../../store/app-store'
import { openAppStoreOrStartFresh } from '../../store/app-store-recovery'
import { APP_SCHEME, APP_URL } from './app-protocol'
import { serveAppFile } from './app-file-handler'
import { createAppWindow, type AppWindow } from './app-window'
import { handleFileDialogs } from './dialogs'
import { buildMenuTemplate, nativeEdit } from './menu'
import { menuLabels, menuLanguage } from './menu-labels'
import { projectPathFromArgv } from './project-argv'
import { createSafeStorageSecrets } from './safe-storage-secrets'
import { startServiceHost, type ServiceHost } from './service-host'
import { appStoreFileName } from './service-protocol'

const rendererDir = join(import.meta.dirname, '../renderer')
const preloadFile = join(import.meta.dirname, '../preload/index.cjs')
const serviceEntry = join(import.meta.dirname, 'service.js')

// Only an unpackaged app may be pointed at a dev server, so an environment variable cannot make a
// shipped build load remote content.
const devServerUrl = app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL']

const log = (message: string): void => console.log(`[sluice] ${message}`)

let mainWindow: AppWindow | null = null
let appStore: AppStore | undefined
let serviceHost: ServiceHost | undefined
/** Projects the OS asked to open before there was a window to tell. */
const projectsToOpen: string[] = []

/**
 * Sends a menu command to the Sluice window (there is one; a menu click or accelerator is for it
 * whether or not it has focus, e.g. while a native dialog is open). Edit commands are also applied
 * natively, which affects only a focused text field (see `nativeEdit`).
 */
function sendToWindow(command: MenuCommand): void {
  const target = mainWindow
  if (target === null) {
    return
  }
  const edit = nativeEdit(command)
  const contents = target.window.webContents
  if (edit !== undefined && !contents.isDestroyed()) {
    contents[edit]()
  }
  target.sendCommand(command)
}

/** Opens a double-clicked project in the (created, restored, focused) main window. */
function openProject(path: string): void {
  if (!app.isReady()) {
    projectsToOpen.push(path)
    return
  }
  const target = mainWindow ?? openMainWindow()
  if (target.window.isMinimized()) {
    target.window.restore()
  }
  target.window.focus()
  target.sendCommand({ command: 'open-project', path })
}

function refreshMenu(): void {
  let recent: ReturnType<AppStore['recentProjects']> = []
  let stored: UiLanguage | undefined
  try {
    recent = appStore?.recentProjects() ?? []
    // Unset until the user picks one: then the menu follows the system, as the page does.
    stored = appStore?.chosenLanguage() ?? undefined
  } catch (thrown) {
    log(`Could not read recent projects for the menu: ${String(thrown)}`)
  }
  const labels = menuLabels[menuLanguage(stored, app.getLocale())]
  const template = buildMenuTemplate(labels, recent, {
    platform: process.platform,
    isPackaged: app.isPackaged,
    send: sendToWindow,
  })
  Menu.setApplicationMenu(Menu.buildFromTemplate(template))
}

function openMainWindow(): AppWindow {
  const opened = createAppWindow({
    url: devServerUrl ?? APP_URL,
    preload: preloadFile,
    appStore,
    onLoaded: (contents) => serviceHost?.connect(contents),
    onClosed: (contentsId) => {
      serviceHost?.disconnect(contentsId)
      if (mainWindow === opened) {
        mainWindow = null
      }
    },
  })
  mainWindow = opened
  return opened
}

/** Locks down every web contents, including ones a bug or a later feature might create. */
function denyNavigationAndPopups(): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault())
    contents.on('will-redirect', (event) => event.preventDefault())
    contents.on('will-attach-webview', (event) => event.preventDefault())
    contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  })
}

// A second launch (e.g. double-clicking a .sluice file) hands its argv to this instance instead.
if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  // Both must happen before 'ready': the sandbox for all renderers, and the scheme's privileges.
  app.enableSandbox()
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ])
  denyNavigationAndPopups()

  const fromArgv = projectPathFromArgv(process.argv)
  if (fromArgv !== undefined) {
    projectsToOpen.push(fromArgv)
  }
  // macOS sends files as events, possibly before 'ready', so listen from the start.
  app.on('open-file', (event, path) => {
    event.preventDefault()
    openProject(path)
  })
  app.on('second-instance', (_event, argv, workingDirectory) => {
    const path = projectPathFromArgv(argv, workingDirectory)
    if (path !== undefined) {
      openProject(path)
    } else if (mainWindow !== null) {
      if (mainWindow.window.isMinimized()) {
        mainWindow.window.restore()
      }
      mainWindow.window.focus()
    }
  })

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') {
      app.quit()
    }
  })

  // Give the engine time to close its project (cancel runs, checkpoint SQLite) before exiting.
  let serviceStopped = false
  app.on('will-quit', (event) => {
    if (serviceStopped || serviceHost === undefined) {
      appStore?.close()
      return
    }
    event.preventDefault()
    void serviceHost.stop().finally(() => {
      serviceStopped = true
      app.quit()
    })
  })

  void app.whenReady().then(() => {
    protocol.handle(APP_SCHEME, (request) => serveAppFile(rendererDir, request))
    // Sluice needs no camera, microphone, notifications or geolocation.
    session.defaultSession.setPermissionRequestHandler((_contents, _permission, grant) =>
      grant(false),
    )
    const userData = app.getPath('userData')
    appStore = openAppStoreOrStartFresh(join(userData, appStoreFileName), log)
    // safeStorage works only after 'ready' (see safe-storage-secrets.ts).
    const secrets = createSafeStorageSecrets({
      safeStorage,
      file: join(userData, 'secrets.json'),
      platform: process.platform,
    })
    serviceHost = startServiceHost({
      entry: serviceEntry,
      userData,
      secrets,
      onAppStoreChanged: refreshMenu,
      log,
    })
    handleFileDialogs({ devServerUrl, log })
    refreshMenu()
    openMainWindow()
    for (const path of projectsToOpen.splice(0)) {
      openProject(path)
    }
    app.on('activate', () => {
      if (mainWindow === null && BrowserWindow.getAllWindows().length === 0) {
        openMainWindow()
      }
    })
  })
}
