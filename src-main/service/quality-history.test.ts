import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SluiceFailure, type SluiceError } from '../../src-shared/errors'
import type { Pipeline, PipelineNode } from '../../src-shared/pipeline'
import type { RunRecord } from '../../src-shared/project'
import { ruleSchema } from '../../src-shared/quality'
import { createServiceSandbox, type ServiceSandbox } from './test-support'

/**
 * Rules that compare with earlier runs (schema drift, row-count change), the score trend, and a
 * suite's rules as YAML: all through the service, with the history kept in the project store.
 */

let sandbox: ServiceSandbox
beforeEach(async () => {
  sandbox = await createServiceSandbox()
})
afterEach(() => sandbox.close())

const node = (id: string, kind: string, config: Record<string, unknown>): PipelineNode => ({
  id,
  kind,
  position: { x: 0, y: 0 },
  config,
})

/** data.csv → one check node → (pass) a CSV file. */
function checkedPipeline(check: PipelineNode): Pipeline {
  return {
    formatVersion: 1,
    name: 'Checked',
    parameters: {},
    nodes: [
      node('data', 'source.csv', { path: 'data.csv' }),
      check,
      node('save', 'sink.csv', { path: 'out/checked.csv' }),
    ],
    edges: [
      { from: { node: 'data', port: 'out' }, to: { node: check.id, port: 'in' } },
      { from: { node: check.id, port: 'pass' }, to: { node: 'save', port: 'in' } },
    ],
  }
}

function csvRows(header: string, count: number, row: (n: number) => string): string {
  return [header, ...Array.from({ length: count }, (_, i) => row(i + 1))].join('\n') + '\n'
}

async function createPipeline(document: Pipeline): Promise<string> {
  return (await sandbox.client['pipeline/create']({ name: document.name, document })).id
}

async function run(pipelineId: string): Promise<RunRecord> {
  const { runId } = await sandbox.client['run/start']({ pipelineId })
  return sandbox.client['run/wait']({ runId })
}

async function failureOf(request: Promise<unknown>): Promise<SluiceError> {
  const thrown = await request.then(
    () => undefined,
    (error: unknown) => error,
  )
  if (thrown instanceof SluiceFailure) {
    return thrown.error
  }
  throw new Error(`expected a SluiceFailure, got ${String(thrown)}`)
}

const ruleOf = (record: RunRecord, nodeId: string) =>
  record.nodes.find((n) => n.nodeId === nodeId)?.quality?.rules[0]

describe('rules that compare with the last successful run', () => {
  it('detects columns removed, added and retyped across two runs', async () => {
    sandbox.write(
      'data.csv',
      csvRows('id,email,amount', 3, (n) => `${n},u${n}@x.org,${n}`),
    )
    const id = await createPipeline(
      checkedPipeline(node('drift', 'check.schema-drift', { name: 'same columns', allow: [] })),
    )
    const first = await run(id)
    expect(first.status).toBe('succeeded')
    expect(ruleOf(first, 'drift')).toMatchObject({ status: 'passed', tested: 1, failed: 0 })
    expect(first.nodes.find((n) => n.nodeId === 'drift')?.quality?.schema).toEqual([
      { name: 'id', type: 'BIGINT' },
      { name: 'email', type: 'VARCHAR' },
      { name: 'amount', type: 'BIGINT' },
    ])

    // `amount` removed, `total` added, `id` now text.
    sandbox.write(
      'data.csv',
      csvRows('id,email,total', 3, (n) => `A${n},u${n}@x.org,${n}`),
    )
    const second = await run(id)
    expect(second.status).toBe('failed')
    const drift = ruleOf(second, 'drift')
    expect(drift).toMatchObject({ status: 'failed', tested: 1, failed: 1 })
    expect(drift?.message).toContain('total')
    expect(drift?.message).toContain('amount')
    expect(drift?.message).toContain('id')
    expect(second.errors).toEqual([
      expect.objectContaining({
        code: 'QUALITY_FAILED',
        message: 'Node "drift": quality rules failed: "same columns".',
      }),
    ])
    expect(second.checks).toEqual([
      expect.objectContaining({
        nodeId: 'drift',
        check: 'same columns',
        status: 'failed',
        rowsPassed: 0,
        rowsFailed: 1,
        kind: 'schema-drift',
      }),
    ])

    // A failed run is not the baseline: the next run still compares with the first one.
    const third = await run(id)
    expect(ruleOf(third, 'drift')?.status).toBe('failed')
    sandbox.write(
      'data.csv',
      csvRows('id,email,amount', 4, (n) => `${n},u${n}@x.org,${n}`),
    )
    const back = await run(id)
    expect(back.status).toBe('succeeded')
    expect(ruleOf(back, 'drift')?.status).toBe('passed')
  })

  it('keeps blocking the same drift: a blocked run is never the baseline', async () => {
    sandbox.write(
      'data.csv',
      csvRows('id,amount', 2, (n) => `${n},${n}`),
    )
    const id = await createPipeline(
      checkedPipeline(
        node('drift', 'check.schema-drift', { name: 'same columns', severity: 'block' }),
      ),
    )
    expect((await run(id)).status).toBe('succeeded')
    sandbox.write(
      'data.csv',
      csvRows('id,amount,extra', 2, (n) => `${n},${n},x`),
    )
    for (const attempt of [1, 2]) {
      const blocked = await run(id)
      expect({ attempt, status: blocked.status }).toEqual({ attempt, status: 'blocked' })
      expect(ruleOf(blocked, 'drift')?.message).toContain('extra')
      expect(blocked.nodes.find((n) => n.nodeId === 'save')?.status).toBe('blocked')
    }
    // The file the first run wrote is still its two-column output.
    expect(readFileSync(join(sandbox.dir, 'out/checked.csv'), 'utf8')).toBe('id,amount\n1,1\n2,2\n')
  })

  it('compares the row count with the previous successful run, and trends the score', async () => {
    const rows = (count: number) =>
      sandbox.write(
        'data.csv',
        csvRows('id,amount', count, (n) => `${n},${n}`),
      )
    const check = node('volume', 'check.row-count', {
      name: 'steady volume',
      maxChangePercent: 20,
      severity: 'warn',
    })
    const id = await createPipeline(checkedPipeline(check))

    rows(100)
    const first = await run(id)
    expect(ruleOf(first, 'volume')).toMatchObject({ status: 'passed', failed: 0 })
    rows(110) // +10 % against 100
    const second = await run(id)
    expect(ruleOf(second, 'volume')).toMatchObject({ status: 'passed', failed: 0 })
    rows(150) // +36.4 % against 110
    const third = await run(id)
    expect(third.status).toBe('succeeded')
    expect(ruleOf(third, 'volume')).toMatchObject({ status: 'warned', tested: 1, failed: 1 })
    expect(ruleOf(third, 'volume')?.message).toMatch(/110/)
    expect(ruleOf(third, 'volume')?.message).toMatch(/150/)
    expect(third.checks).toEqual([
      expect.objectContaining({ check: 'steady volume', status: 'warned', rowsFailed: 1 }),
    ])
    expect((await sandbox.client['run/get']({ runId: third.id })).checks).toEqual(third.checks)
    // A warned run succeeded, so it is the next baseline: 160 is +6.7 % against 150.
    rows(160)
    const fourth = await run(id)
    expect(ruleOf(fourth, 'volume')?.status).toBe('passed')

    // Consistency is the row-count rule (100 or 0), completeness 100 (no NULLs).
    const trend = await sandbox.client['quality/trend']({ pipelineId: id, nodeId: 'volume' })
    expect(trend.map((point) => [point.runId, point.score])).toEqual([
      [first.id, 100],
      [second.id, 100],
      [third.id, 50],
      [fourth.id, 100],
    ])
    expect(trend[2]).toMatchObject({
      status: 'succeeded',
      dimensions: { consistency: 0, completeness: 100 },
    })
    const lastTwo = await sandbox.client['quality/trend']({
      pipelineId: id,
      nodeId: 'volume',
      limit: 2,
    })
    expect(lastTwo.map((point) => point.runId)).toEqual([third.id, fourth.id])
    expect(await sandbox.client['quality/trend']({ pipelineId: id, nodeId: 'data' })).toEqual([])
    expect(
      (await failureOf(sandbox.client['quality/trend']({ pipelineId: 'nope', nodeId: 'volume' })))
        .code,
    ).toBe('PIPELINE_NOT_FOUND')
  })
})

describe('rules as YAML through the service', () => {
  const rules = [
    { name: 'email present', check: 'not-null', columns: ['email'], severity: 'warn' },
    { name: 'email ok', check: 'pattern', column: 'email', preset: 'email', mostly: 0.9 },
    { name: 'amount', check: 'range', column: 'amount', min: 0 },
  ].map((rule) => ruleSchema.parse(rule))

  it('exports a validate node as YAML that imports back to the same rules', async () => {
    const { client } = sandbox
    const id = await createPipeline(
      checkedPipeline(node('suite', 'quality.validate', { rules, weights: {} })),
    )
    const { yaml } = await client['quality/export-rules']({ pipelineId: id, nodeId: 'suite' })
    expect(yaml).toBe(
      [
        'rules:',
        '  - name: email present',
        '    check: not-null',
        '    columns: [email]',
        '    severity: warn',
        '  - name: email ok',
        '    check: pattern',
        '    column: email',
        '    preset: email',
        '    mostly: 0.9',
        '  - name: amount',
        '    check: range',
        '    column: amount',
        '    min: 0',
        '',
      ].join('\n'),
    )
    expect(await client['quality/import-rules']({ yaml })).toEqual({ rules })
  })

  it('exports a single check node as its one rule', async () => {
    const id = await createPipeline(
      checkedPipeline(node('present', 'check.not-null', { columns: ['email'] })),
    )
    const { yaml } = await sandbox.client['quality/export-rules']({
      pipelineId: id,
      nodeId: 'present',
    })
    expect(yaml).toBe('rules:\n  - name: not-null\n    check: not-null\n    columns: [email]\n')
  })

  it('refuses nodes without rules and YAML with a bad rule, naming the node, rule and field', async () => {
    const { client } = sandbox
    const id = await createPipeline(
      checkedPipeline(node('suite', 'quality.validate', { rules, weights: {} })),
    )
    expect(
      await failureOf(client['quality/export-rules']({ pipelineId: id, nodeId: 'ghost' })),
    ).toMatchObject({ code: 'NODE_NOT_FOUND', message: 'Pipeline "Checked" has no node "ghost".' })
    expect(
      await failureOf(client['quality/export-rules']({ pipelineId: id, nodeId: 'data' })),
    ).toMatchObject({
      code: 'BAD_REQUEST',
      message:
        'Request quality/export-rules is not valid: node "data" is a source.csv node; only check and validate nodes have rules.',
    })
    expect(
      await failureOf(
        client['quality/import-rules']({
          yaml: 'rules:\n  - name: a\n    check: not-null\n    columns: [x]\n  - name: b\n    check: length\n    column: x\n',
        }),
      ),
    ).toMatchObject({
      code: 'IMPORT_INVALID',
      field: 'min',
      message:
        'The rules YAML cannot be imported: rule 2 ("b"), field "min": give a minimum or a maximum length.',
    })
    expect(await failureOf(client['quality/import-rules']({ yaml: 'rules: [\n' }))).toMatchObject({
      code: 'IMPORT_INVALID',
      message: expect.stringMatching(
        /^The rules YAML cannot be imported: it is not valid YAML at line/,
      ),
    })
  })
})
