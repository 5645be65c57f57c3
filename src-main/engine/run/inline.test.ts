import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { chain, createSandbox, type EngineSandbox } from '../test-support'

let sandbox: EngineSandbox
beforeEach(async () => {
  sandbox = await createSandbox()
})
afterEach(() => sandbox.close())

const storedKinds = () =>
  sandbox.rows(
    `SELECT table_name AS name, table_type AS type FROM information_schema.tables
     WHERE table_name LIKE '%__out' ORDER BY table_name`,
  )

describe('inlining transforms with one reader', () => {
  it('keeps a transform read by one transform as a view, with correct row counts', async () => {
    const path = sandbox.write('a.csv', 'id,email\n1, A@X.COM \n2,\n3,c@x.com\n')
    const document = chain(
      { id: 'src', kind: 'source.csv', config: { path } },
      {
        id: 'clean',
        kind: 'transform.derive',
        config: { columns: [{ name: 'email', expression: "nullif(lower(trim(email)), '')" }] },
      },
      { id: 'valid', kind: 'transform.filter', config: { where: 'email IS NOT NULL' } },
      { id: 'write', kind: 'sink.csv', config: { path: 'out.csv' } },
    )
    const { result } = await sandbox.run(document)
    expect(result.status).toBe('succeeded')
    expect(result.nodes.map((n) => [n.nodeId, n.rowsIn, n.rowsOut])).toEqual([
      ['src', 0, 3],
      ['clean', 3, 3],
      ['valid', 3, 2],
      ['write', 2, 2],
    ])
    expect(await storedKinds()).toEqual([
      { name: 'clean__out', type: 'VIEW' },
      { name: 'src__out', type: 'BASE TABLE' },
      { name: 'valid__out', type: 'BASE TABLE' },
    ])
    expect(await sandbox.rows(`SELECT * FROM read_csv('${sandbox.dir}/out.csv')`)).toEqual([
      { id: 1, email: 'a@x.com' },
      { id: 3, email: 'c@x.com' },
    ])
  })

  it('turns a view back into a stored table when the pipeline gives it a second reader', async () => {
    const path = sandbox.write('a.csv', 'id\n1\n2\n')
    const derive = {
      id: 'd',
      kind: 'transform.derive',
      config: { columns: [{ name: 'x', expression: 'id * 2' }] },
    }
    const sort = { id: 's', kind: 'transform.sort', config: { by: [{ column: 'x' }] } }
    await sandbox.run(chain({ id: 'src', kind: 'source.csv', config: { path } }, derive, sort))
    expect((await storedKinds()).find((row) => row.name === 'd__out')?.type).toBe('VIEW')

    const twoReaders = chain({ id: 'src', kind: 'source.csv', config: { path } }, derive, sort)
    twoReaders.nodes.push({
      id: 'w',
      kind: 'sink.csv',
      config: { path: 'd.csv' },
      position: { x: 0, y: 0 },
    })
    twoReaders.edges.push({ from: { node: 'd', port: 'out' }, to: { node: 'w', port: 'in' } })
    const { result } = await sandbox.run(twoReaders)
    expect(result.status).toBe('succeeded')
    expect((await storedKinds()).find((row) => row.name === 'd__out')?.type).toBe('BASE TABLE')
    expect(await sandbox.rows('SELECT x FROM "s__out"')).toEqual([{ x: 2 }, { x: 4 }])
  })
})
