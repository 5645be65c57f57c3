import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { chain, createSandbox, type EngineSandbox } from '../test-support'

let sandbox: EngineSandbox
beforeEach(async () => {
  sandbox = await createSandbox()
})
afterEach(() => sandbox.close())

describe('previewing a node', () => {
  it('shows the first rows of a transform that never ran, with column types, without running the sink', async () => {
    const path = sandbox.write('a.csv', 'id,amount\n1,5\n2,50\n3,500\n4,5000\n')
    const document = chain(
      { id: 'src', kind: 'source.csv', config: { path } },
      { id: 'big', kind: 'transform.filter', config: { where: 'amount >= 50' } },
      { id: 'write', kind: 'sink.csv', config: { path: 'out.csv' } },
    )
    const preview = await sandbox.preview(document, 'big', 2)
    expect(preview.columns).toEqual([
      { name: 'id', type: 'BIGINT' },
      { name: 'amount', type: 'BIGINT' },
    ])
    expect(preview.rows).toEqual([
      { id: 2, amount: 50 },
      { id: 3, amount: 500 },
    ])
    // Source and filter were read lazily, as views, with nothing stored: a run computes both.
    const { result } = await sandbox.run(document)
    expect(result.nodes.map((stats) => stats.status)).toEqual(['done', 'done', 'done'])
  })

  it('reads a UTF-8 source lazily, leaving out unreadable lines as staging does', async () => {
    const path = sandbox.write('a.csv', 'id,name\n1,a\n2\n3,c\n')
    const document = chain({ id: 'src', kind: 'source.csv', config: { path } })
    const preview = await sandbox.preview(document, 'src')
    expect(preview.rows).toEqual([
      { id: 1, name: 'a' },
      { id: 3, name: 'c' },
    ])
    const { result } = await sandbox.run(document)
    expect(result.nodes[0]).toMatchObject({ status: 'done', rowsOut: 2, rowsRejected: 1 })
  })

  it('stages a source that needs transcoding, so the run reuses it', async () => {
    const gbk = Buffer.from([
      ...Buffer.from('id,city\n1,'),
      0xb1,
      0xb1,
      0xbe,
      0xa9, // 北京 in GBK
      ...Buffer.from('\n2,'),
      0xc9,
      0xcf,
      0xba,
      0xa3, // 上海 in GBK
      ...Buffer.from('\n'),
    ])
    const path = sandbox.write('cities.csv', gbk)
    const document = chain({ id: 'src', kind: 'source.csv', config: { path, encoding: 'gbk' } })
    const preview = await sandbox.preview(document, 'src')
    expect(preview.rows.map((row) => row.city)).toEqual(['北京', '上海'])
    const { result } = await sandbox.run(document)
    expect(result.nodes[0]?.status).toBe('reused')
  })

  it('shows a sink its input, and reads stored results after a run', async () => {
    const path = sandbox.write('a.csv', 'id\n1\n2\n3\n')
    const document = chain(
      { id: 'src', kind: 'source.csv', config: { path } },
      {
        id: 'sorted',
        kind: 'transform.sort',
        config: { by: [{ column: 'id', descending: true }] },
      },
      { id: 'write', kind: 'sink.csv', config: { path: 'out.csv' } },
    )
    await sandbox.run(document)
    const preview = await sandbox.preview(document, 'write')
    expect(preview).toMatchObject({
      nodeId: 'write',
      port: 'out',
      rows: [{ id: 3 }, { id: 2 }, { id: 1 }],
    })
  })

  it('previews the rows of a source, and its rejects on their own port', async () => {
    const path = sandbox.write('a.csv', 'a,b\n1,2\n3\n')
    const document = chain({ id: 'src', kind: 'source.csv', config: { path } })
    const preview = await sandbox.preview(document, 'src')
    expect(preview.rows).toEqual([{ a: 1, b: 2 }])
    const rejects = await sandbox.preview(document, 'src', 10, 'rejects')
    expect(rejects.port).toBe('rejects')
    expect(rejects.rows).toHaveLength(1)
    expect(rejects.rows[0]).toMatchObject({ line: 3, content: '3' })
  })
})

describe('previewing past a blocking transform', () => {
  it('stores the blocking result with its true row count, so the run reuses it', async () => {
    const path = sandbox.write('a.csv', 'id,v\n3,c\n1,a\n2,b\n1,a\n')
    const document = chain(
      { id: 'src', kind: 'source.csv', config: { path } },
      { id: 'narrow', kind: 'transform.filter', config: { where: 'id < 3' } },
      { id: 'sorted', kind: 'transform.sort', config: { by: [{ column: 'id' }] } },
      { id: 'unique', kind: 'transform.dedupe', config: {} },
      { id: 'write', kind: 'sink.csv', config: { path: 'out.csv' } },
    )
    const preview = await sandbox.preview(document, 'unique', 10)
    expect(preview.rows).toEqual([
      { id: 1, v: 'a' },
      { id: 2, v: 'b' },
    ])
    const { result } = await sandbox.run(document)
    expect(result.nodes.map((n) => [n.nodeId, n.status, n.rowsOut])).toEqual([
      ['src', 'reused', 4],
      ['narrow', 'done', 3],
      ['sorted', 'reused', 3],
      ['unique', 'reused', 2],
      ['write', 'done', 2],
    ])
  })
})
