import { existsSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { RunEvent } from '../../../src-shared/run'
import { chain, createSandbox, type EngineSandbox } from '../test-support'

let sandbox: EngineSandbox
beforeEach(async () => {
  sandbox = await createSandbox()
})
afterEach(() => sandbox.close())

const statuses = (events: RunEvent[]) =>
  Object.fromEntries(
    events.flatMap((event) =>
      event.type === 'node-finished' ? [[event.stats.nodeId, event.stats.status]] : [],
    ),
  )

function twoSourcesJoined(a: string, b: string) {
  return {
    formatVersion: 1,
    nodes: [
      { id: 'a', kind: 'source.csv', config: { path: a } },
      { id: 'b', kind: 'source.csv', config: { path: b } },
      {
        id: 'joined',
        kind: 'transform.sql',
        config: {
          inputs: ['lhs', 'rhs'],
          sql: 'SELECT l.id, l.x, r.y FROM lhs l JOIN rhs r USING (id) ORDER BY id',
        },
      },
      { id: 'write', kind: 'sink.csv', config: { path: 'out/joined.csv' } },
    ],
    edges: [
      { from: { node: 'a', port: 'out' }, to: { node: 'joined', port: 'lhs' } },
      { from: { node: 'b', port: 'out' }, to: { node: 'joined', port: 'rhs' } },
      { from: { node: 'joined', port: 'out' }, to: { node: 'write', port: 'in' } },
    ],
  }
}

describe('executing a pipeline', () => {
  it('runs independent branches at the same time and joins them', async () => {
    const a = sandbox.write('a.csv', 'id,x\n1,a\n2,b\n')
    const b = sandbox.write('b.csv', 'id,y\n2,B\n1,A\n')
    const { result, events } = await sandbox.run(twoSourcesJoined(a, b))
    expect(result.status).toBe('succeeded')
    const kinds = events.map((event) =>
      event.type === 'node-started' ? `start:${event.nodeId}` : event.type,
    )
    const firstFinish = kinds.indexOf('node-finished')
    expect(kinds.indexOf('start:a')).toBeLessThan(firstFinish)
    expect(kinds.indexOf('start:b')).toBeLessThan(firstFinish)
    expect(result.nodes.find((n) => n.nodeId === 'joined')).toMatchObject({ rowsIn: 4, rowsOut: 2 })
    expect(result.nodes.find((n) => n.nodeId === 'write')?.written).toBe(
      join(sandbox.dir, 'out/joined.csv'),
    )
    expect(await sandbox.rows(`SELECT * FROM read_csv('${sandbox.dir}/out/joined.csv')`)).toEqual([
      { id: 1, x: 'a', y: 'A' },
      { id: 2, x: 'b', y: 'B' },
    ])
  })

  it('reuses results whose fingerprint matches and re-runs what changed', async () => {
    const a = sandbox.write('a.csv', 'id,x\n1,a\n2,b\n')
    const b = sandbox.write('b.csv', 'id,y\n2,B\n1,A\n')
    const document = twoSourcesJoined(a, b)
    await sandbox.run(document)
    const second = await sandbox.run(document)
    expect(statuses(second.events)).toEqual({
      a: 'reused',
      b: 'reused',
      joined: 'reused',
      write: 'done',
    })
    expect(second.result.nodes.find((n) => n.nodeId === 'joined')?.rowsOut).toBe(2)

    writeFileSync(b, 'id,y\n2,B\n1,A\n3,C\n')
    const third = await sandbox.run(document)
    expect(statuses(third.events)).toEqual({
      a: 'reused',
      b: 'done',
      joined: 'done',
      write: 'done',
    })

    const fourth = await sandbox.run(document, { reuse: false })
    expect(statuses(fourth.events)).toEqual({ a: 'done', b: 'done', joined: 'done', write: 'done' })
  })

  it('reuses a transform inlined as a view, and rebuilds it over changed data', async () => {
    const input = sandbox.write('n.csv', 'n\n1\n2\n3\n4\n')
    const document = {
      formatVersion: 1,
      nodes: [
        { id: 'src', kind: 'source.csv', config: { path: input } },
        // Read by one transform only, so it is inlined as a view.
        { id: 'big', kind: 'transform.filter', config: { where: 'n > 2' } },
        { id: 'sorted', kind: 'transform.sort', config: { by: [{ column: 'n' }] } },
        { id: 'write', kind: 'sink.csv', config: { path: 'out/big.csv' } },
      ],
      edges: [
        { from: { node: 'src', port: 'out' }, to: { node: 'big', port: 'in' } },
        { from: { node: 'big', port: 'out' }, to: { node: 'sorted', port: 'in' } },
        { from: { node: 'sorted', port: 'out' }, to: { node: 'write', port: 'in' } },
      ],
    }
    await sandbox.run(document)
    const views = await sandbox.rows('SELECT view_name FROM duckdb_views() WHERE NOT internal')
    expect(views).toEqual([{ view_name: 'big__out' }])
    const second = await sandbox.run(document)
    expect(statuses(second.events)).toEqual({
      src: 'reused',
      big: 'reused',
      sorted: 'reused',
      write: 'done',
    })
    expect(second.result.nodes.find((n) => n.nodeId === 'big')?.rowsOut).toBe(2)

    writeFileSync(input, 'n\n1\n5\n6\n7\n')
    const third = await sandbox.run(document)
    expect(statuses(third.events)).toEqual({
      src: 'done',
      big: 'done',
      sorted: 'done',
      write: 'done',
    })
    expect(await sandbox.rows(`SELECT n FROM read_csv('${sandbox.dir}/out/big.csv')`)).toEqual([
      { n: 5 },
      { n: 6 },
      { n: 7 },
    ])

    // A second reader makes the node a table: its old view is not reused as one.
    document.nodes.push({ id: 'copy', kind: 'sink.csv', config: { path: 'out/copy.csv' } })
    document.edges.push({ from: { node: 'big', port: 'out' }, to: { node: 'copy', port: 'in' } })
    const fourth = await sandbox.run(document)
    expect(statuses(fourth.events)).toMatchObject({ src: 'reused', big: 'done' })
    const [kind] = await sandbox.rows(
      "SELECT count(*) AS tables FROM duckdb_tables() WHERE table_name = 'big__out'",
    )
    expect(kind).toEqual({ tables: 1 })
  })

  it('skips what depends on a failed node, finishes the other branches, and names the failure', async () => {
    const a = sandbox.write('a.csv', 'id,x\n1,a\n')
    const document = {
      formatVersion: 1,
      nodes: [
        { id: 'good', kind: 'source.csv', config: { path: a } },
        { id: 'missing', kind: 'source.csv', config: { path: 'nowhere.csv' } },
        { id: 'bad_filter', kind: 'transform.filter', config: { where: 'no_such_column > 1' } },
        { id: 'write_good', kind: 'sink.csv', config: { path: 'good.csv' } },
        { id: 'write_bad', kind: 'sink.csv', config: { path: 'bad.csv' } },
      ],
      edges: [
        { from: { node: 'good', port: 'out' }, to: { node: 'write_good', port: 'in' } },
        { from: { node: 'good', port: 'out' }, to: { node: 'bad_filter', port: 'in' } },
        { from: { node: 'bad_filter', port: 'out' }, to: { node: 'write_bad', port: 'in' } },
      ],
    }
    const { result } = await sandbox.run(document)
    expect(result.status).toBe('failed')
    expect(
      statuses([...result.nodes.map((stats) => ({ type: 'node-finished' as const, stats }))]),
    ).toEqual({
      good: 'done',
      missing: 'failed',
      bad_filter: 'failed',
      write_good: 'done',
      write_bad: 'skipped',
    })
    expect(result.errors.map((error) => [error.code, error.nodeId])).toEqual(
      expect.arrayContaining([
        ['FILE_NOT_FOUND', 'missing'],
        ['SQL_ERROR', 'bad_filter'],
      ]),
    )
    const filterError = result.errors.find((error) => error.nodeId === 'bad_filter')
    expect(filterError?.message).toMatch(/Node "bad_filter" failed: .*no_such_column/)
    expect(result.nodes.find((n) => n.nodeId === 'write_bad')?.warnings).toEqual([
      'Node "write_bad" did not run because "bad_filter" failed.',
    ])
    expect(existsSync(join(sandbox.dir, 'good.csv'))).toBe(true)
    expect(existsSync(join(sandbox.dir, 'bad.csv'))).toBe(false)
  })

  it('cancels a running query through the AbortSignal and writes nothing downstream', async () => {
    const a = sandbox.write('a.csv', 'x\n1\n2\n')
    const slow = chain(
      { id: 'src', kind: 'source.csv', config: { path: a } },
      // A cross join with two billion rows: minutes of work unless interrupted.
      {
        id: 'slow',
        kind: 'transform.sql',
        inputPort: 'input',
        config: { sql: 'SELECT sum(i.x * r.range) AS s FROM input i, range(2000000000) r' },
      },
      { id: 'write', kind: 'sink.csv', config: { path: 'never.csv' } },
    )
    const controller = new AbortController()
    const started = performance.now()
    setTimeout(() => controller.abort(), 700)
    const { result } = await sandbox.run(slow, { signal: controller.signal })
    expect(performance.now() - started).toBeLessThan(10_000)
    expect(result.status).toBe('cancelled')
    expect(result.errors[0]).toMatchObject({ code: 'CANCELLED', message: 'The run was cancelled.' })
    expect(result.nodes.map((stats) => stats.status)).toEqual(['done', 'cancelled', 'cancelled'])
    expect(existsSync(join(sandbox.dir, 'never.csv'))).toBe(false)
  })

  it('reports progress with percent and bytes while a large file stages', async () => {
    const path = join(sandbox.dir, 'big.csv')
    await sandbox.rows(
      `COPY (SELECT i AS id, i * 3 AS amount, 'customer ' || i AS name FROM range(3000000) r(i)) TO '${path}'`,
    )
    const { result, events } = await sandbox.run(
      chain({ id: 'big', kind: 'source.csv', config: { path } }),
    )
    expect(result.nodes[0]?.rowsOut).toBe(3_000_000)
    const progress = events.flatMap((event) =>
      event.type === 'node-progress' ? [event.progress] : [],
    )
    expect(progress.length).toBeGreaterThan(0)
    for (const sample of progress) {
      expect(sample.nodeId).toBe('big')
      expect(sample.percent).toBeGreaterThanOrEqual(0)
      expect(sample.percent).toBeLessThanOrEqual(100)
      expect(sample.totalBytes).toBe(statSync(path).size)
      expect(sample.bytes).toBeLessThanOrEqual(statSync(path).size)
    }
  })
})
