import type { MenuItemConstructorOptions } from 'electron'
import type { MenuCommand } from '../../../src-shared/host'
import type { RecentProject } from '../../../src-shared/project'
import type { MenuLabels } from './menu-labels'

export interface MenuTemplateOptions {
  platform: NodeJS.Platform
  /** Reload and developer tools only in an unpackaged app. */
  isPackaged: boolean
  /** Delivers a command to the focused window's page. */
  send(command: MenuCommand): void
}

/** Edit commands Chromium also applies natively to a focused text field (see `nativeEdit`). */
export type NativeEdit = 'undo' | 'redo' | 'cut' | 'copy' | 'paste' | 'selectAll' | 'delete'

const nativeEdits: Partial<Record<MenuCommand['command'], NativeEdit>> = {
  undo: 'undo',
  redo: 'redo',
  cut: 'cut',
  copy: 'copy',
  paste: 'paste',
  'select-all': 'selectAll',
  'delete-selection': 'delete',
}

/**
 * The WebContents editing method behind an Edit command, or undefined. A menu accelerator takes
 * the key away from the page, so main applies the edit natively (which only affects a focused
 * text field or editor) and also sends the command, which the page applies to the canvas when no
 * text field has focus.
 */
export function nativeEdit(command: MenuCommand): NativeEdit | undefined {
  return nativeEdits[command.command]
}

/**
 * The application menu as a template for `Menu.buildFromTemplate`. Pure, so it is tested without
 * Electron: every item either sends a MenuCommand through `options.send` or is an Electron role.
 */
export function buildMenuTemplate(
  labels: MenuLabels,
  recent: readonly RecentProject[],
  options: MenuTemplateOptions,
): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin'
  const item = (
    label: string,
    command: MenuCommand,
    accelerator?: string,
  ): MenuItemConstructorOptions => ({
    label,
    ...(accelerator === undefined ? {} : { accelerator }),
    click: () => options.send(command),
  })
  const separator: MenuItemConstructorOptions = { type: 'separator' }

  const recentItems: MenuItemConstructorOptions[] =
    recent.length === 0
      ? [{ label: labels.noRecentProjects, enabled: false }]
      : recent.map((project) =>
          item(`${project.name} — ${project.path}`, {
            command: 'open-project',
            path: project.path,
          }),
        )

  const appMenu: MenuItemConstructorOptions = {
    label: 'Sluice',
    submenu: [
      item(labels.about, { command: 'about' }),
      separator,
      item(labels.settings, { command: 'settings' }, 'CmdOrCtrl+,'),
      separator,
      { label: labels.services, role: 'services' },
      separator,
      { label: labels.hide, role: 'hide' },
      { label: labels.hideOthers, role: 'hideOthers' },
      { label: labels.showAll, role: 'unhide' },
      separator,
      { label: labels.quit, role: 'quit' },
    ],
  }

  const file: MenuItemConstructorOptions = {
    label: labels.file,
    submenu: [
      item(labels.newProject, { command: 'new-project' }, 'CmdOrCtrl+N'),
      item(labels.open, { command: 'open-project' }, 'CmdOrCtrl+O'),
      { label: labels.openRecent, submenu: recentItems },
      item(labels.closeProject, { command: 'close-project' }, 'CmdOrCtrl+Shift+W'),
      separator,
      item(labels.saveVersion, { command: 'save-version' }, 'CmdOrCtrl+S'),
      separator,
      item(labels.connections, { command: 'connections' }),
      separator,
      item(labels.exportPipeline, { command: 'export-pipeline' }, 'CmdOrCtrl+E'),
      item(labels.importPipeline, { command: 'import-pipeline' }, 'CmdOrCtrl+I'),
      ...(mac
        ? []
        : [
            separator,
            item(labels.settings, { command: 'settings' }, 'CmdOrCtrl+,'),
            separator,
            { label: labels.quit, role: 'quit' as const, accelerator: 'CmdOrCtrl+Q' },
          ]),
    ],
  }

  const edit: MenuItemConstructorOptions = {
    label: labels.edit,
    submenu: [
      item(labels.undo, { command: 'undo' }, 'CmdOrCtrl+Z'),
      item(labels.redo, { command: 'redo' }, 'CmdOrCtrl+Shift+Z'),
      // One item has one accelerator: the second redo key is a hidden twin, which still fires
      // (acceleratorWorksWhenHidden, macOS; hidden items' accelerators work on Windows and Linux).
      {
        ...item(labels.redo, { command: 'redo' }, 'CmdOrCtrl+Y'),
        visible: false,
        acceleratorWorksWhenHidden: true,
      },
      separator,
      item(labels.cut, { command: 'cut' }, 'CmdOrCtrl+X'),
      item(labels.copy, { command: 'copy' }, 'CmdOrCtrl+C'),
      item(labels.paste, { command: 'paste' }, 'CmdOrCtrl+V'),
      item(labels.selectAll, { command: 'select-all' }, 'CmdOrCtrl+A'),
      // No accelerator: the Delete and Backspace keys must keep working in text fields; the
      // canvas handles them itself.
      item(labels.delete, { command: 'delete-selection' }),
    ],
  }

  const run: MenuItemConstructorOptions = {
    label: labels.run,
    submenu: [
      item(labels.runPipeline, { command: 'run' }, 'F5'),
      item(labels.runToSelected, { command: 'run-to-selected' }, 'CmdOrCtrl+F5'),
      item(labels.dryRun, { command: 'dry-run' }),
      item(labels.cancelRun, { command: 'cancel-run' }, 'Shift+F5'),
    ],
  }

  const view: MenuItemConstructorOptions = {
    label: labels.view,
    submenu: [
      item(labels.zoomToFit, { command: 'zoom-to-fit' }, 'CmdOrCtrl+0'),
      item(labels.autoLayout, { command: 'auto-layout' }, 'CmdOrCtrl+Shift+L'),
      separator,
      item(labels.toggleTheme, { command: 'toggle-theme' }),
      ...(options.isPackaged
        ? []
        : [
            separator,
            { label: labels.reload, role: 'reload' as const },
            { label: labels.toggleDevTools, role: 'toggleDevTools' as const },
          ]),
    ],
  }

  const help: MenuItemConstructorOptions = {
    label: labels.help,
    role: 'help',
    submenu: [
      item(labels.shortcuts, { command: 'shortcuts' }, 'CmdOrCtrl+/'),
      ...(mac ? [] : [separator, item(labels.about, { command: 'about' })]),
    ],
  }

  return [
    ...(mac ? [appMenu] : []),
    file,
    edit,
    run,
    view,
    ...(mac ? [{ label: labels.window, role: 'windowMenu' as const }] : []),
    help,
  ]
}
