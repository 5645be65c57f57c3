import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { sluice } from './test-support'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-cli-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

function writePipeline(
  nodes: unknown[],
  edges: unknown[] = [],
  parameters: Record<string, string> = {},
): string {
  const path = join(dir, 'pipeline.json')
  writeFileSync(
    path,
    JSON.stringify({ formatVersion: 1, name: 'cli test', parameters, nodes, edges }),
  )
  return path
}

const edge = (from: string, to: string) => ({
  from: { node: from, port: 'out' },
  to: { node: to, port: 'in' },
})

function amountsPipeline(): string {
  writeFileSync(join(dir, 'in.csv'), 'id,amount\n1,10\n2,20\n3,30\n4\n')
  return writePipeline(
    [
      { id: 'src', kind: 'source.csv', config: { path: 'in.csv' } },
      { id: 'big', kind: 'transform.filter', config: { where: 'amount >= ${min}' } },
      { id: 'write', kind: 'sink.csv', config: { path: 'out/big.csv' } },
    ],
    [edge('src', 'big'), edge('big', 'write')],
    { min: '20' },
  )
}

describe('sluice CLI', () => {
  it('runs a pipeline, prints a summary table and exits 0', async () => {
    const { code, stdout } = await sluice('run', amountsPipeline())
    expect(code).toBe(0)
    expect(stdout).toMatch(/^src\s+source\.csv\s+done\s+0\s+3\s+1\s+\d+ ms$/m)
    expect(stdout).toMatch(/^big\s+transform\.filter\s+done\s+3\s+2\s+0\s+\d+ ms$/m)
    expect(stdout).toMatch(/Run succeeded in [\d.]+ s; 1 row\(s\) rejected\./)
    expect(readFileSync(join(dir, 'out/big.csv'), 'utf8')).toBe('id,amount\n2,20\n3,30\n')
  })

  it('applies --param overrides and prints JSON with --json', async () => {
    const { code, stdout } = await sluice('run', amountsPipeline(), '--param', 'min=30', '--json')
    expect(code).toBe(0)
    const result = JSON.parse(stdout)
    expect(result.status).toBe('succeeded')
    expect(
      result.nodes.map((n: { nodeId: string; rowsOut: number }) => [n.nodeId, n.rowsOut]),
    ).toEqual([
      ['src', 3],
      ['big', 1],
      ['write', 1],
    ])
  })

  it('exits 1 when the run fails, naming the node and the cause', async () => {
    const path = writePipeline(
      [
        { id: 'src', kind: 'source.csv', config: { path: 'missing.csv' } },
        { id: 'write', kind: 'sink.csv', config: { path: 'o.csv' } },
      ],
      [edge('src', 'write')],
    )
    const { code, stdout } = await sluice('run', path)
    expect(code).toBe(1)
    expect(stdout).toMatch(/Run failed/)
    expect(stdout).toContain(
      `error [FILE_NOT_FOUND] (node src): File not found: ${join(dir, 'missing.csv')}.`,
    )
  })

  it('refuses an invalid pipeline before running anything, listing every error, exit 2', async () => {
    const path = writePipeline(
      [
        { id: 'src', kind: 'source.csv', config: { path: 'in.csv' } },
        { id: 'f', kind: 'transform.filter', config: { where: '' } },
        { id: 'x', kind: 'transform.nope', config: {} },
        { id: 'write', kind: 'sink.csv', config: { path: 'never.csv' } },
      ],
      [edge('src', 'f')],
    )
    const { code, stderr } = await sluice('run', path)
    expect(code).toBe(2)
    expect(stderr).toContain('is not a valid pipeline')
    expect(stderr).toContain('Node "f", field "config.where"')
    expect(stderr).toContain('Node "x" has an unknown kind "transform.nope"')
    expect(stderr).toContain('Input "in" of node "write" is required but not connected')
    expect(() => readFileSync(join(dir, 'never.csv'))).toThrow()
  })

  it('validates, and reports bad JSON and usage errors with exit 2', async () => {
    expect((await sluice('validate', amountsPipeline())).stdout).toMatch(
      /is valid: 3 nodes, 2 edges/,
    )
    writeFileSync(join(dir, 'broken.json'), '{"formatVersion": 1,')
    const broken = await sluice('validate', join(dir, 'broken.json'))
    expect(broken.code).toBe(2)
    expect(broken.stderr).toMatch(/broken\.json is not valid JSON/)
    expect((await sluice('frobnicate', 'x.json')).code).toBe(2)
    expect((await sluice('run', amountsPipeline(), '--param', 'novalue')).stderr).toMatch(
      /--param expects name=value/,
    )
  })

  it('previews a node as a grid and as JSON', async () => {
    const path = amountsPipeline()
    const grid = await sluice('preview', path, 'big', '--rows', '1')
    expect(grid.code).toBe(0)
    expect(grid.stdout).toMatch(/id \(BIGINT\)\s+│ amount \(BIGINT\)/)
    expect(grid.stdout).toMatch(/\(1 rows in \d+ ms\)/)
    const json = JSON.parse((await sluice('preview', path, 'big', '--json')).stdout)
    expect(json.rows).toEqual([
      { id: 2, amount: 20 },
      { id: 3, amount: 30 },
    ])
    const unknown = await sluice('preview', path, 'nope')
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toMatch(/has no node "nope"; nodes: src, big, write/)
  })
})
