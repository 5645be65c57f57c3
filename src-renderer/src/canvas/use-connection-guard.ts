import type { Connection } from '@vue-flow/core'
import { ref, type Ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { findNodeKind } from '../../../src-shared/nodes'
import type { Pipeline } from '../../../src-shared/pipeline'
import { usePipelineStore } from '../stores/pipeline'
import { checkConnection, type ConnectionCheck } from './connection-rules'

/** A refused connection's reason as shown; `id` changes with each refusal to show it again. */
export interface Refusal {
  id: number
  text: string
}

/**
 * Turns connections drawn on the canvas into edges of the store, after `checkConnection`; a
 * refused one leaves the document alone and says why in the user's language.
 */
export function useConnectionGuard(): {
  refusal: Ref<Refusal | null>
  onConnect: (connection: Connection) => void
} {
  const pipeline = usePipelineStore()
  const { t } = useI18n()
  const refusal = ref<Refusal | null>(null)

  function onConnect(connection: Connection): void {
    const document = pipeline.document
    if (!document) {
      return
    }
    const check = checkConnection(document, connection)
    if (check.ok) {
      refusal.value = null
      pipeline.connect(check.edge)
      return
    }
    refusal.value = { id: (refusal.value?.id ?? 0) + 1, text: describe(check, document) }
  }

  function describe(check: Exclude<ConnectionCheck, { ok: true }>, document: Pipeline): string {
    const params = { node: check.node, port: check.port }
    switch (check.reason) {
      case 'same-node':
        return t('canvas.refused.sameNode')
      case 'input-taken':
        return t('canvas.refused.inputTaken', params)
      case 'cycle':
        return t('canvas.refused.cycle')
      case 'unknown-port':
        return t('canvas.refused.unknownPort', params)
      case 'wrong-direction': {
        const kind = document.nodes.find((node) => node.id === check.node)?.kind ?? ''
        const family = findNodeKind(kind)?.family
        if (family === 'source') {
          return t('canvas.refused.sourceHasNoInputs')
        }
        return family === 'sink'
          ? t('canvas.refused.sinkHasNoOutputs')
          : t('canvas.refused.wrongDirection')
      }
    }
  }

  return { refusal, onConnect }
}
