/**
 * Monaco with only what the config panel needs: the editor core, SQL and YAML (a validate node's
 * rules) highlighting, the suggest
 * widget and the basic editing commands. Loaded on first use (SqlEditor imports this module
 * dynamically) so the start screen does not pay for it.
 *
 * Paths: monaco-editor 0.57's package `exports` map `monaco-editor/<path>` to `esm/vs/<path>.js`,
 * so the classic `monaco-editor/esm/vs/...` specifiers no longer resolve; these are the same files.
 */
import * as monaco from 'monaco-editor/editor/editor.api'
import 'monaco-editor/editor/browser/coreCommands'
import 'monaco-editor/editor/contrib/bracketMatching/browser/bracketMatching'
import 'monaco-editor/editor/contrib/clipboard/browser/clipboard'
import 'monaco-editor/editor/contrib/placeholderText/browser/placeholderText.contribution'
import 'monaco-editor/editor/contrib/suggest/browser/suggestController'
import 'monaco-editor/editor/contrib/wordOperations/browser/wordOperations'
import 'monaco-editor/languages/definitions/sql/register'
import 'monaco-editor/languages/definitions/yaml/register'
// The CSP allows workers from 'self' and blob:; Vite bundles this one as a file of the app.
import EditorWorker from 'monaco-editor/editor/editor.worker?worker'
import { sqlSuggestions } from './sql-completion'
import type { ColumnInfo } from './upstream'

self.MonacoEnvironment = { getWorker: () => new EditorWorker() }

/**
 * Where the editors' suggest lists and hovers go: on the page's body, above Vuetify's layers. In
 * the drawer they would be clipped, and the drawer's transform would misplace fixed widgets.
 * Monaco styles and colours what sits inside an element of class `monaco-editor`.
 */
export const overflowWidgets = document.createElement('div')
overflowWidgets.className = 'monaco-editor sluice-monaco-overflow'
Object.assign(overflowWidgets.style, { position: 'absolute', top: '0', left: '0', zIndex: '3000' })
document.body.append(overflowWidgets)

/** The columns each open editor completes, by its model's URI. */
const columnsByModel = new Map<string, readonly ColumnInfo[]>()

/** Sets the columns the editor of `model` suggests; `null` forgets the model. */
export function setModelColumns(
  model: monaco.editor.ITextModel,
  columns: readonly ColumnInfo[] | null,
): void {
  if (columns) {
    columnsByModel.set(model.uri.toString(), columns)
  } else {
    columnsByModel.delete(model.uri.toString())
  }
}

monaco.languages.registerCompletionItemProvider('sql', {
  triggerCharacters: ['"'],
  provideCompletionItems(model, position) {
    const word = model.getWordUntilPosition(position)
    const range = new monaco.Range(
      position.lineNumber,
      word.startColumn,
      position.lineNumber,
      word.endColumn,
    )
    const columns = columnsByModel.get(model.uri.toString()) ?? []
    return {
      suggestions: sqlSuggestions(columns).map((suggestion) => ({
        label: suggestion.label,
        insertText: suggestion.insertText,
        detail: suggestion.detail,
        sortText: suggestion.sortText,
        kind:
          suggestion.kind === 'column'
            ? monaco.languages.CompletionItemKind.Field
            : monaco.languages.CompletionItemKind.Keyword,
        range,
      })),
    }
  },
})

export { monaco }
