import { computed, inject, provide, type ComputedRef, type InjectionKey } from 'vue'
import { translateError } from '../i18n'
import { usePipelineStore } from '../stores/pipeline'

type ProblemsByNode = ComputedRef<ReadonlyMap<string, readonly string[]>>

const problemsKey: InjectionKey<ProblemsByNode> = Symbol('node-problems')
const none: readonly string[] = []

/** Groups the store's validation errors by node, in the user's language, for the canvas's nodes. */
export function provideNodeProblems(): void {
  const pipeline = usePipelineStore()
  const byNode = computed(() => {
    const grouped = new Map<string, string[]>()
    for (const error of pipeline.validation) {
      if (error.nodeId) {
        grouped.set(error.nodeId, [...(grouped.get(error.nodeId) ?? []), translateError(error)])
      }
    }
    return grouped
  })
  provide(problemsKey, byNode)
}

/** The validation errors of one node, as sentences; empty when it has none. */
export function useNodeProblems(nodeId: () => string): ComputedRef<readonly string[]> {
  const byNode = inject(problemsKey, null)
  return computed(() => byNode?.value.get(nodeId()) ?? none)
}
