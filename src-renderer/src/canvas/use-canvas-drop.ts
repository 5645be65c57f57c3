import type { VueFlowStore, XYPosition } from '@vue-flow/core'
import { useI18n } from 'vue-i18n'
import { findNodeKind } from '../../../src-shared/nodes'
import { useNoticeStore } from '../stores/notices'
import { usePipelineStore } from '../stores/pipeline'
import { sourceForFile } from './file-drop'
import { nodeKindDragType } from './palette-drag'
import { useHost } from '../host/host'

/** Puts a dropped node's top-left corner this far from the pointer, so it lands under it. */
const grabOffset: XYPosition = { x: 90, y: 24 }
/** Files dropped together are stacked this far apart. */
const fileStep = 120

/**
 * Drops on the canvas: a node kind dragged from the palette becomes a node where it is dropped;
 * data files from the desktop become configured source nodes.
 */
export function useCanvasDrop(flow: VueFlowStore): {
  onDragOver: (event: DragEvent) => void
  onDrop: (event: DragEvent) => void
} {
  const pipeline = usePipelineStore()
  const notices = useNoticeStore()
  const host = useHost()
  const { t } = useI18n()

  function accepts(event: DragEvent): boolean {
    const types = event.dataTransfer?.types ?? []
    return types.includes(nodeKindDragType) || types.includes('Files')
  }

  function onDragOver(event: DragEvent): void {
    if (accepts(event) && event.dataTransfer) {
      event.preventDefault()
      event.dataTransfer.dropEffect = 'copy'
    }
  }

  function onDrop(event: DragEvent): void {
    const transfer = event.dataTransfer
    if (!transfer || !accepts(event) || !pipeline.document) {
      return
    }
    event.preventDefault()
    const pointer = flow.screenToFlowCoordinate({ x: event.clientX, y: event.clientY })
    const at = { x: pointer.x - grabOffset.x, y: pointer.y - grabOffset.y }
    const kind = transfer.getData(nodeKindDragType)
    if (kind) {
      if (findNodeKind(kind)) {
        pipeline.addNode(kind, at)
      }
      return
    }
    const added: string[] = []
    for (const file of Array.from(transfer.files)) {
      // The desktop app knows where a dropped file lives; a browser does not, so there the name
      // goes in and the user picks the file.
      const path = host.pathForDroppedFile(file)
      const source = sourceForFile(file.name, path ?? file.name)
      if (!source) {
        notices.info(t('canvas.fileDrop.unsupported', { file: file.name }))
        continue
      }
      const position = { x: at.x, y: at.y + added.length * fileStep }
      const id = pipeline.addNode(source.kind, position, source.config)
      added.push(id)
      notices.info(
        t(path ? 'canvas.fileDrop.addedWithPath' : 'canvas.fileDrop.added', {
          node: id,
          file: file.name,
        }),
      )
    }
    if (added.length > 1) {
      pipeline.select(added)
    }
  }

  return { onDragOver, onDrop }
}
