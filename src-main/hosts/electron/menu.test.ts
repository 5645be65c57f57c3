import type { MenuItemConstructorOptions } from 'electron'
import { describe, expect, it } from 'vitest'
import type { MenuCommand } from '../../../src-shared/host'
import { buildMenuTemplate, nativeEdit, type MenuTemplateOptions } from './menu'
import { menuLabels, menuLanguage } from './menu-labels'

const recent = [
  { path: '/home/ana/sales.sluice', name: 'Sales', openedAt: '2025-01-02T00:00:00Z' },
  { path: '/home/ana/crm.sluice', name: 'CRM', openedAt: '2025-01-01T00:00:00Z' },
]

function build(options: Partial<MenuTemplateOptions> = {}, projects = recent) {
  const sent: MenuCommand[] = []
  const template = buildMenuTemplate(menuLabels.en, projects, {
    platform: 'linux',
    isPackaged: true,
    send: (command) => sent.push(command),
    ...options,
  })
  return { template, sent }
}

function submenu(item: MenuItemConstructorOptions | undefined): MenuItemConstructorOptions[] {
  return Array.isArray(item?.submenu) ? item.submenu : []
}

function menu(template: MenuItemConstructorOptions[], label: string) {
  return submenu(template.find((item) => item.label === label))
}

function find(template: MenuItemConstructorOptions[], label: string) {
  const all = (items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] =>
    items.flatMap((item) => [item, ...all(submenu(item))])
  return all(template).filter((item) => item.label === label)
}

/** Clicks an item the way Electron would; our items ignore the arguments. */
function click(item: MenuItemConstructorOptions | undefined): void {
  ;(item?.click as (() => void) | undefined)?.()
}

const visibleLabels = (items: MenuItemConstructorOptions[]) =>
  items.filter((item) => item.type !== 'separator' && item.visible !== false).map((i) => i.label)

describe('buildMenuTemplate', () => {
  it('has File, Edit, Run, View and Help on Windows and Linux', () => {
    const { template } = build()

    expect(template.map((item) => item.label)).toEqual(['File', 'Edit', 'Run', 'View', 'Help'])
    expect(visibleLabels(menu(template, 'File'))).toEqual([
      'New Project',
      'Open…',
      'Open Recent',
      'Close Project',
      'Save Version',
      'Connections…',
      'Export Pipeline…',
      'Import Pipeline…',
      'Settings…',
      'Quit Sluice',
    ])
    expect(visibleLabels(menu(template, 'Edit'))).toEqual([
      'Undo',
      'Redo',
      'Cut',
      'Copy',
      'Paste',
      'Select All',
      'Delete',
    ])
    expect(visibleLabels(menu(template, 'Run'))).toEqual([
      'Run',
      'Run to Selected Node',
      'Dry Run (Change Nothing)',
      'Cancel Run',
    ])
    expect(visibleLabels(menu(template, 'View'))).toEqual([
      'Zoom to Fit',
      'Auto-Layout',
      'Toggle Dark Theme',
    ])
    expect(visibleLabels(menu(template, 'Help'))).toEqual(['Keyboard Shortcuts', 'About Sluice'])
  })

  it('sends each item its command', () => {
    const expected: Array<[string, MenuCommand['command']]> = [
      ['New Project', 'new-project'],
      ['Open…', 'open-project'],
      ['Close Project', 'close-project'],
      ['Save Version', 'save-version'],
      ['Connections…', 'connections'],
      ['Export Pipeline…', 'export-pipeline'],
      ['Import Pipeline…', 'import-pipeline'],
      ['Settings…', 'settings'],
      ['Undo', 'undo'],
      ['Cut', 'cut'],
      ['Copy', 'copy'],
      ['Paste', 'paste'],
      ['Select All', 'select-all'],
      ['Delete', 'delete-selection'],
      ['Run to Selected Node', 'run-to-selected'],
      ['Dry Run (Change Nothing)', 'dry-run'],
      ['Cancel Run', 'cancel-run'],
      ['Zoom to Fit', 'zoom-to-fit'],
      ['Auto-Layout', 'auto-layout'],
      ['Toggle Dark Theme', 'toggle-theme'],
      ['Keyboard Shortcuts', 'shortcuts'],
      ['About Sluice', 'about'],
    ]
    for (const [label, command] of expected) {
      const { template, sent } = build()
      const [item] = find(template, label)
      click(item)
      expect(sent, label).toEqual([{ command }])
    }
    const { template, sent } = build()
    click(menu(template, 'Run')[0])
    for (const redo of find(template, 'Redo')) {
      click(redo)
    }
    expect(sent).toEqual([{ command: 'run' }, { command: 'redo' }, { command: 'redo' }])
  })

  it('gives the usual keys', () => {
    const { template } = build()
    const keys = (label: string) => find(template, label).map((item) => item.accelerator)

    expect(keys('New Project')).toEqual(['CmdOrCtrl+N'])
    expect(keys('Open…')).toEqual(['CmdOrCtrl+O'])
    expect(keys('Save Version')).toEqual(['CmdOrCtrl+S'])
    expect(keys('Undo')).toEqual(['CmdOrCtrl+Z'])
    expect(keys('Redo')).toEqual(['CmdOrCtrl+Shift+Z', 'CmdOrCtrl+Y'])
    expect(keys('Cut')).toEqual(['CmdOrCtrl+X'])
    expect(keys('Copy')).toEqual(['CmdOrCtrl+C'])
    expect(keys('Paste')).toEqual(['CmdOrCtrl+V'])
    expect(keys('Select All')).toEqual(['CmdOrCtrl+A'])
    expect(keys('Run')).toContain('F5')
    expect(keys('Cancel Run')).toEqual(['Shift+F5'])
    expect(keys('Quit Sluice')).toEqual(['CmdOrCtrl+Q'])
    // Delete and Backspace stay with text fields.
    expect(keys('Delete')).toEqual([undefined])
    const hiddenRedo = find(template, 'Redo')[1]
    expect(hiddenRedo).toMatchObject({ visible: false, acceleratorWorksWhenHidden: true })
    const all = template.flatMap((top) => submenu(top)).flatMap((item) => [item, ...submenu(item)])
    const accelerators = all.map((item) => item.accelerator).filter(Boolean)
    expect(new Set(accelerators).size).toBe(accelerators.length)
  })

  it('lists recent projects, newest first, each opening its file', () => {
    const { template, sent } = build()
    const items = submenu(find(template, 'Open Recent')[0])

    expect(items.map((item) => item.label)).toEqual([
      'Sales — /home/ana/sales.sluice',
      'CRM — /home/ana/crm.sluice',
    ])
    click(items[1])
    expect(sent).toEqual([{ command: 'open-project', path: '/home/ana/crm.sluice' }])
  })

  it('shows a disabled line when there are no recent projects', () => {
    const { template } = build({}, [])

    expect(submenu(find(template, 'Open Recent')[0])).toEqual([
      { label: 'No Recent Projects', enabled: false },
    ])
  })

  it('offers Reload and developer tools only in an unpackaged app', () => {
    expect(find(build({ isPackaged: true }).template, 'Reload')).toEqual([])
    const view = menu(build({ isPackaged: false }).template, 'View')
    expect(view.filter((item) => item.role).map((item) => item.role)).toEqual([
      'reload',
      'toggleDevTools',
    ])
  })

  it('follows macOS conventions: an app menu with About, Settings and Quit, and a Window menu', () => {
    const { template, sent } = build({ platform: 'darwin' })

    expect(template.map((item) => item.label)).toEqual([
      'Sluice',
      'File',
      'Edit',
      'Run',
      'View',
      'Window',
      'Help',
    ])
    const appMenu = menu(template, 'Sluice')
    expect(appMenu.map((item) => item.role ?? item.label).filter(Boolean)).toEqual([
      'About Sluice',
      'Settings…',
      'services',
      'hide',
      'hideOthers',
      'unhide',
      'quit',
    ])
    expect(visibleLabels(menu(template, 'File'))).not.toContain('Quit Sluice')
    expect(visibleLabels(menu(template, 'Help'))).toEqual(['Keyboard Shortcuts'])
    click(appMenu[0])
    expect(sent).toEqual([{ command: 'about' }])
  })

  it('speaks Simplified Chinese', () => {
    const template = buildMenuTemplate(menuLabels['zh-CN'], recent, {
      platform: 'win32',
      isPackaged: true,
      send: () => undefined,
    })

    expect(template.map((item) => item.label)).toEqual(['文件', '编辑', '运行', '视图', '帮助'])
    expect(visibleLabels(menu(template, '运行'))).toEqual([
      '运行',
      '运行到所选节点',
      '试运行（不做任何更改）',
      '取消运行',
    ])
  })
})

describe('menuLanguage', () => {
  it("uses the language chosen in Sluice, else the system's", () => {
    expect(menuLanguage('zh-CN', 'en-US')).toBe('zh-CN')
    expect(menuLanguage('en', 'zh-CN')).toBe('en')
    expect(menuLanguage(undefined, 'zh-TW')).toBe('zh-CN')
    expect(menuLanguage(undefined, 'zh')).toBe('zh-CN')
    expect(menuLanguage(undefined, 'de-DE')).toBe('en')
  })

  it('has every label in every language', () => {
    const keys = Object.keys(menuLabels.en).sort()
    expect(Object.keys(menuLabels['zh-CN']).sort()).toEqual(keys)
    for (const labels of Object.values(menuLabels)) {
      expect(Object.values(labels).every((label) => label.trim() !== '')).toBe(true)
    }
  })
})

describe('nativeEdit', () => {
  it('maps edit commands to the WebContents method that applies them to text fields', () => {
    expect(nativeEdit({ command: 'undo' })).toBe('undo')
    expect(nativeEdit({ command: 'select-all' })).toBe('selectAll')
    expect(nativeEdit({ command: 'delete-selection' })).toBe('delete')
    expect(nativeEdit({ command: 'run' })).toBeUndefined()
  })
})
