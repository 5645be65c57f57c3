import type { UiLanguage } from '../../../src-shared/project'

/** Every word the application menu shows. */
export interface MenuLabels {
  file: string
  newProject: string
  open: string
  openRecent: string
  noRecentProjects: string
  closeProject: string
  saveVersion: string
  exportPipeline: string
  importPipeline: string
  settings: string
  connections: string
  quit: string
  edit: string
  undo: string
  redo: string
  cut: string
  copy: string
  paste: string
  selectAll: string
  delete: string
  run: string
  runPipeline: string
  runToSelected: string
  dryRun: string
  cancelRun: string
  view: string
  zoomToFit: string
  autoLayout: string
  toggleTheme: string
  reload: string
  toggleDevTools: string
  window: string
  help: string
  shortcuts: string
  about: string
  services: string
  hide: string
  hideOthers: string
  showAll: string
}

export const menuLabels: Record<UiLanguage, MenuLabels> = {
  en: {
    file: 'File',
    newProject: 'New Project',
    open: 'Open…',
    openRecent: 'Open Recent',
    noRecentProjects: 'No Recent Projects',
    closeProject: 'Close Project',
    saveVersion: 'Save Version',
    exportPipeline: 'Export Pipeline…',
    importPipeline: 'Import Pipeline…',
    settings: 'Settings…',
    connections: 'Connections…',
    quit: 'Quit Sluice',
    edit: 'Edit',
    undo: 'Undo',
    redo: 'Redo',
    cut: 'Cut',
    copy: 'Copy',
    paste: 'Paste',
    selectAll: 'Select All',
    delete: 'Delete',
    run: 'Run',
    runPipeline: 'Run',
    runToSelected: 'Run to Selected Node',
    dryRun: 'Dry Run (Change Nothing)',
    cancelRun: 'Cancel Run',
    view: 'View',
    zoomToFit: 'Zoom to Fit',
    autoLayout: 'Auto-Layout',
    toggleTheme: 'Toggle Dark Theme',
    reload: 'Reload',
    toggleDevTools: 'Toggle Developer Tools',
    window: 'Window',
    help: 'Help',
    shortcuts: 'Keyboard Shortcuts',
    about: 'About Sluice',
    services: 'Services',
    hide: 'Hide Sluice',
    hideOthers: 'Hide Others',
    showAll: 'Show All',
  },
  'zh-CN': {
    file: '文件',
    newProject: '新建项目',
    open: '打开…',
    openRecent: '最近打开',
    noRecentProjects: '没有最近的项目',
    closeProject: '关闭项目',
    saveVersion: '保存版本',
    exportPipeline: '导出流水线…',
    importPipeline: '导入流水线…',
    settings: '设置…',
    connections: '数据库连接…',
    quit: '退出 Sluice',
    edit: '编辑',
    undo: '撤销',
    redo: '重做',
    cut: '剪切',
    copy: '复制',
    paste: '粘贴',
    selectAll: '全选',
    delete: '删除',
    run: '运行',
    runPipeline: '运行',
    runToSelected: '运行到所选节点',
    dryRun: '试运行（不做任何更改）',
    cancelRun: '取消运行',
    view: '视图',
    zoomToFit: '缩放以适应',
    autoLayout: '自动布局',
    toggleTheme: '切换深色主题',
    reload: '重新加载',
    toggleDevTools: '切换开发者工具',
    window: '窗口',
    help: '帮助',
    shortcuts: '键盘快捷键',
    about: '关于 Sluice',
    services: '服务',
    hide: '隐藏 Sluice',
    hideOthers: '隐藏其他',
    showAll: '全部显示',
  },
}

/**
 * The menu's language: the one the user chose in Sluice (the app store's, which the page uses
 * too, so menu and page agree), or without an app store the system's: Chinese locales get
 * Simplified Chinese.
 */
export function menuLanguage(stored: UiLanguage | undefined, systemLocale: string): UiLanguage {
  if (stored !== undefined) {
    return stored
  }
  return systemLocale.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en'
}
