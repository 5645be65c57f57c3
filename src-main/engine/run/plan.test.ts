import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { writeFileSync } from 'node:fs'
import { chain, createSandbox, mustValidate, type EngineSandbox } from '../test-support'
import { canonicalJson, planPipeline } from './plan'

let sandbox: EngineSandbox
beforeEach(async () => {
  sandbox = await createSandbox()
})
afterEach(() => sandbox.close())

const fingerprints = async (document: unknown) =>
  Object.fromEntries(
    (await planPipeline(mustValidate(document), sandbox.dir)).nodes.map((p) => [
      p.node.id,
      p.fingerprint,
    ]),
  )

describe('planning', () => {
  it('orders nodes after their inputs', async () => {
    const document = {
      formatVersion: 1,
      nodes: [
        { id: 'write', kind: 'sink.csv', config: { path: 'o.csv' } },
        { id: 'f', kind: 'transform.filter', config: { where: 'true' } },
        { id: 'src', kind: 'source.csv', config: { path: 'a.csv' } },
      ],
      edges: [
        { from: { node: 'f', port: 'out' }, to: { node: 'write', port: 'in' } },
        { from: { node: 'src', port: 'out' }, to: { node: 'f', port: 'in' } },
      ],
    }
    const plan = await planPipeline(mustValidate(document), sandbox.dir)
    expect(plan.nodes.map((planned) => planned.node.id)).toEqual(['src', 'f', 'write'])
  })

  it('fingerprints from kind, config, inputs and the source file, and nothing else', async () => {
    const path = sandbox.write('a.csv', 'id\n1\n')
    const make = (where: string) =>
      chain(
        { id: 'src', kind: 'source.csv', config: { path } },
        { id: 'f', kind: 'transform.filter', config: { where } },
        { id: 'sorted', kind: 'transform.sort', config: { by: [{ column: 'id' }] } },
      )
    const base = await fingerprints(make('id > 0'))
    expect(await fingerprints(make('id > 0'))).toEqual(base)

    const changedFilter = await fingerprints(make('id > 1'))
    expect(changedFilter.src).toBe(base.src)
    expect(changedFilter.f).not.toBe(base.f)
    expect(changedFilter.sorted).not.toBe(base.sorted)

    writeFileSync(path, 'id\n1\n2\n')
    const changedFile = await fingerprints(make('id > 0'))
    expect(changedFile.src).not.toBe(base.src)
    expect(changedFile.sorted).not.toBe(base.sorted)
  })

  it('writes configs canonically whatever their key order', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe(
      canonicalJson({ a: [{ c: 3, d: 2 }], b: 1 }),
    )
  })
})
