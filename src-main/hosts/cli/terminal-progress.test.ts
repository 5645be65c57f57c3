import { describe, expect, it } from 'vitest'
import type { NodeStats } from '../../../src-shared/run'
import { createTerminalProgress } from './terminal-progress'

/** Plays events into the progress view and returns what a terminal would finally show. */
function screenAfter(events: Parameters<ReturnType<typeof createTerminalProgress>>[0][]): string[] {
  let lines: string[] = []
  const stream = {
    write(text: string) {
      // Interpret the two escapes the view uses: cursor up N lines, then clear to the end.
      // eslint-disable-next-line no-control-regex -- matching the terminal escapes is the point
      const cleared = /^\x1b\[(\d+)A\x1b\[0J/.exec(text)
      if (cleared) {
        lines = lines.slice(0, lines.length - Number(cleared[1]))
        return true
      }
      lines.push(...text.split('\n').filter((line) => line !== ''))
      return true
    },
  } as unknown as NodeJS.WriteStream
  const show = createTerminalProgress(stream)
  events.forEach(show)
  return lines
}

const stats = (nodeId: string, rowsOut: number): NodeStats => ({
  nodeId,
  kind: 'source.csv',
  status: 'done',
  rowsIn: 0,
  rowsOut,
  rowsRejected: 0,
  ms: 12,
  fingerprint: 'f',
  outputs: {},
  warnings: [],
})

describe('terminal progress', () => {
  it('draws a bar per running node and replaces it with a line when the node finishes', () => {
    const running = screenAfter([
      { type: 'node-started', nodeId: 'orders' },
      { type: 'node-started', nodeId: 'customers' },
      {
        type: 'node-progress',
        progress: { nodeId: 'orders', percent: 50, bytes: 5 * 1048576, totalBytes: 10 * 1048576 },
      },
    ])
    expect(running).toHaveLength(2)
    expect(running[0]).toMatch(/▸ orders\s+█{12}░{12}\s+50%\s+5\.0\/10\.0 MiB/)
    expect(running[1]).toMatch(/▸ customers\s+░{24}\s+0%/)

    const finished = screenAfter([
      { type: 'node-started', nodeId: 'orders' },
      { type: 'node-started', nodeId: 'customers' },
      { type: 'node-finished', stats: stats('orders', 1234567) },
      { type: 'log', level: 'warn', nodeId: 'customers', message: '2 line(s) could not be read' },
    ])
    expect(finished).toEqual([
      '  ✓ orders  done  1,234,567 rows  12 ms',
      '  ! customers: 2 line(s) could not be read',
      expect.stringMatching(/▸ customers/),
    ])
  })
})
