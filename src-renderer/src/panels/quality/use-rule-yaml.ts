import { onBeforeUnmount, ref, toRaw, watch } from 'vue'
import { SluiceFailure } from '../../../../src-shared/errors'
import type { Rule } from '../../../../src-shared/quality'
import { api } from '../../host/current-host'
import { translateError } from '../../i18n'
import { usePipelineStore } from '../../stores/pipeline'

/** Typing stops this long before the YAML is checked and applied. */
const applyDebounceMs = 600

/** Where the editor stands: what it shows under the text. */
export type RuleYamlState =
  | { kind: 'idle' }
  | { kind: 'checking' }
  | { kind: 'applied'; count: number }
  | { kind: 'invalid'; message: string }
  | { kind: 'unavailable'; message: string }

function reasonOf(thrown: unknown): string {
  return thrown instanceof SluiceFailure
    ? translateError(thrown.error)
    : String((thrown as Error)?.message ?? thrown)
}

/**
 * A validate node's rules as YAML text, both ways through the service: the node's rules are
 * shown as the service writes them ('quality/export-rules', from the saved working copy, so the
 * copy is saved first), and typed or imported YAML is checked by the service
 * ('quality/import-rules', whose errors name the rule and field) and, when valid, applied with
 * `apply`. A change of the rules from elsewhere (undo) shows them again; the editor's own
 * changes do not, so the text being typed is never replaced.
 */
export function useRuleYaml(rules: () => unknown, apply: (rules: Rule[]) => void) {
  const pipeline = usePipelineStore()
  const text = ref('')
  const state = ref<RuleYamlState>({ kind: 'idle' })
  let applied = JSON.stringify(toRaw(rules()) ?? [])
  let debounce: ReturnType<typeof setTimeout> | undefined
  let sequence = 0

  /** The node's rules as the service writes them (its file form, also what Export saves). */
  async function exported(): Promise<string> {
    const pipelineId = pipeline.summary?.id
    const nodeId = pipeline.selectedNode?.id
    if (!pipelineId || !nodeId) {
      return ''
    }
    await pipeline.flush()
    return (await api()['quality/export-rules']({ pipelineId, nodeId })).yaml
  }

  /** Shows the node's current rules, replacing the text. */
  async function reload(): Promise<void> {
    const mine = ++sequence
    clearTimeout(debounce)
    const current = rules()
    if (!Array.isArray(current) || current.length === 0) {
      // A new suite has no rules, which its schema refuses: there is nothing to export yet.
      text.value = ''
      state.value = { kind: 'idle' }
      return
    }
    try {
      const yaml = await exported()
      if (mine === sequence) {
        text.value = yaml
        state.value = { kind: 'idle' }
      }
    } catch (thrown) {
      if (mine === sequence) {
        state.value = { kind: 'unavailable', message: reasonOf(thrown) }
      }
    }
  }

  /** Checks `yaml` with the service and applies its rules when they are valid. */
  async function check(yaml: string): Promise<void> {
    const mine = ++sequence
    state.value = { kind: 'checking' }
    try {
      const result = await api()['quality/import-rules']({ yaml })
      if (mine !== sequence) {
        return
      }
      const next = JSON.stringify(result.rules)
      if (next !== applied) {
        applied = next
        apply(result.rules)
      }
      state.value = { kind: 'applied', count: result.rules.length }
    } catch (thrown) {
      if (mine === sequence) {
        state.value = { kind: 'invalid', message: reasonOf(thrown) }
      }
    }
  }

  /** The user typed: check and apply once typing pauses. */
  function edit(yaml: string): void {
    text.value = yaml
    clearTimeout(debounce)
    debounce = setTimeout(() => void check(yaml), applyDebounceMs)
  }

  /** YAML from a file replaces the text and is checked at once. */
  async function importFile(file: File): Promise<void> {
    clearTimeout(debounce)
    text.value = await file.text()
    await check(text.value)
  }

  watch(
    () => JSON.stringify(toRaw(rules()) ?? []),
    (now) => {
      if (now !== applied) {
        applied = now
        void reload()
      }
    },
  )
  onBeforeUnmount(() => clearTimeout(debounce))
  void reload()

  return { text, state, edit, reload, importFile, exported }
}
