import { onBeforeUnmount, onMounted } from 'vue'
import type { MenuCommand } from '../../../src-shared/host'
import { useHost } from '../host/host'
import { useNoticeStore } from '../stores/notices'
import { usePipelineStore, type CopiedNodes } from '../stores/pipeline'
import { useProjectStore } from '../stores/project'
import { useRunStore } from '../stores/run'

/** What the editor view opens in answer to a command (dialogs it owns). */
export interface EditorDialogs {
  saveVersion(): void
  settings(): void
  shortcuts(): void
  zoomToFit(): void
  autoLayout(): void
  toggleTheme(): void
  connections(): void
}

let clipboard: CopiedNodes | null = null

/**
 * One place that carries out editor commands, whether they come from the keyboard, the desktop
 * menu or a button. Keys typed into a text field or the SQL editor stay with that field.
 */
export function useEditorCommands(dialogs: EditorDialogs): (command: MenuCommand) => void {
  const pipeline = usePipelineStore()
  const runs = useRunStore()
  const project = useProjectStore()
  const notices = useNoticeStore()
  const host = useHost()

  const perform = (command: MenuCommand): void => {
    switch (command.command) {
      case 'undo':
        return pipeline.undo()
      case 'redo':
        return pipeline.redo()
      case 'copy':
        clipboard = pipeline.copySelection() ?? clipboard
        return
      case 'cut':
        clipboard = pipeline.copySelection() ?? clipboard
        return pipeline.deleteSelection()
      case 'paste':
        return clipboard ? pipeline.paste(clipboard) : undefined
      case 'select-all':
        return pipeline.selectAll()
      case 'delete-selection':
        return pipeline.deleteSelection()
      case 'run':
        void notices.attempt(() => runs.start())
        return
      case 'dry-run':
        void notices.attempt(() => runs.start(undefined, { dryRun: true }))
        return
      case 'connections':
        return dialogs.connections()
      case 'run-to-selected': {
        const node = pipeline.selectedNode
        void notices.attempt(() => runs.start(node?.id))
        return
      }
      case 'cancel-run':
        void notices.attempt(() => runs.cancel())
        return
      case 'save-version':
        return dialogs.saveVersion()
      case 'settings':
        return dialogs.settings()
      case 'shortcuts':
        return dialogs.shortcuts()
      case 'zoom-to-fit':
        return dialogs.zoomToFit()
      case 'auto-layout':
        return dialogs.autoLayout()
      case 'toggle-theme':
        return dialogs.toggleTheme()
      case 'close-project':
        void notices.attempt(async () => {
          await pipeline.close()
          await project.close()
        })
        return
      case 'open-project':
        if (command.path) {
          const path = command.path
          void notices.attempt(() => project.open(path))
        }
        return
      default:
        return
    }
  }

  const onKey = (event: KeyboardEvent): void => {
    const command = commandForKey(event)
    if (!command || (isTyping(event.target) && textEditCommands.has(command.command))) {
      return
    }
    event.preventDefault()
    perform(command)
  }

  onMounted(() => window.addEventListener('keydown', onKey))
  // The desktop menu's Edit items also reach a focused text field natively; leave those to it.
  const stopMenu = host.onMenuCommand((command) => {
    if (!(isTyping(document.activeElement) && textEditCommands.has(command.command))) {
      perform(command)
    }
  })
  onBeforeUnmount(() => {
    window.removeEventListener('keydown', onKey)
    stopMenu()
  })
  return perform
}

/** Commands a text field or the SQL editor answers itself while it has the focus. */
const textEditCommands = new Set<MenuCommand['command']>([
  'undo',
  'redo',
  'copy',
  'cut',
  'paste',
  'select-all',
  'delete-selection',
])

function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof Element &&
    target.closest('input, textarea, [contenteditable="true"], .monaco-editor') !== null
  )
}

/** The keyboard shortcuts (listed under Help). */
export function commandForKey(event: KeyboardEvent): MenuCommand | null {
  const mod = event.ctrlKey || event.metaKey
  const key = event.key.toLowerCase()
  if (mod && key === 'z') {
    return { command: event.shiftKey ? 'redo' : 'undo' }
  }
  if (mod && key === 'y') {
    return { command: 'redo' }
  }
  if (mod && key === 'c') {
    return { command: 'copy' }
  }
  if (mod && key === 'x') {
    return { command: 'cut' }
  }
  if (mod && key === 'v') {
    return { command: 'paste' }
  }
  if (mod && key === 'a') {
    return { command: 'select-all' }
  }
  if (mod && key === 's') {
    return { command: 'save-version' }
  }
  if (!mod && (key === 'delete' || key === 'backspace')) {
    return { command: 'delete-selection' }
  }
  if (key === 'f5') {
    return { command: event.shiftKey ? 'cancel-run' : 'run' }
  }
  return null
}
