import type { NodeProgress, RunEvent } from '../../../src-shared/run'

const barWidth = 24

/**
 * Live progress on a TTY: one bar per running node, redrawn in place. Finished nodes print one
 * line each above the bars, so the scrollback keeps the history.
 */
export function createTerminalProgress(stream: NodeJS.WriteStream): (event: RunEvent) => void {
  const running = new Map<string, NodeProgress>()
  let drawnLines = 0
  const clear = (): void => {
    if (drawnLines > 0) {
      stream.write(`\x1b[${drawnLines}A\x1b[0J`)
      drawnLines = 0
    }
  }
  const draw = (): void => {
    clear()
    for (const [nodeId, progress] of running) {
      stream.write(`${formatBar(nodeId, progress)}\n`)
      drawnLines += 1
    }
  }
  return (event) => {
    switch (event.type) {
      case 'node-started':
        running.set(event.nodeId, { nodeId: event.nodeId })
        draw()
        break
      case 'node-progress':
        running.set(event.progress.nodeId, event.progress)
        draw()
        break
      case 'node-finished': {
        running.delete(event.stats.nodeId)
        clear()
        const { status, rowsOut, nodeId, ms } = event.stats
        stream.write(
          `  ${status === 'failed' ? '✗' : '✓'} ${nodeId}  ${status}  ${rowsOut.toLocaleString('en')} rows  ${ms} ms\n`,
        )
        draw()
        break
      }
      case 'log':
        if (event.level !== 'info') {
          clear()
          stream.write(
            `  ${event.level === 'warn' ? '!' : '✗'} ${event.nodeId ? `${event.nodeId}: ` : ''}${event.message}\n`,
          )
          draw()
        }
        break
      case 'run-finished':
        clear()
        break
      default:
        break
    }
  }
}

function formatBar(nodeId: string, progress: NodeProgress): string {
  const percent = progress.percent ?? 0
  const filled = Math.round((barWidth * Math.min(100, percent)) / 100)
  const bar = `${'█'.repeat(filled)}${'░'.repeat(barWidth - filled)}`
  const bytes =
    progress.bytes !== undefined && progress.totalBytes
      ? `  ${mebibytes(progress.bytes)}/${mebibytes(progress.totalBytes)} MiB`
      : ''
  const rows = progress.rows ? `  ${progress.rows.toLocaleString('en')} rows` : ''
  return `  ▸ ${nodeId.padEnd(20)} ${bar} ${percent.toFixed(0).padStart(3)}%${bytes}${rows}`
}

function mebibytes(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1)
}
