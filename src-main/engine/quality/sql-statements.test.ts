import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { chain, createSandbox, type EngineSandbox } from '../test-support'
import { people, rowsOf, runCheck } from './quality-test-data'

let sandbox: EngineSandbox
beforeEach(async () => {
  sandbox = await createSandbox()
})
afterEach(() => sandbox.close())

/** Closes the row wrapper, runs a statement of its own, and reopens the wrapper. */
const rowSmuggler =
  'TRUE), FALSE)) FROM range(1) t; CREATE TABLE pwned AS SELECT 42; SELECT count_if(NOT coalesce((TRUE'
/** The same against the dataset wrapper. */
const datasetSmuggler =
  'TRUE) AS BOOLEAN) FROM range(1) t; CREATE TABLE pwned AS SELECT 42; SELECT CAST((TRUE'

const pwned = async () =>
  (await sandbox.rows(`SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'pwned'`))[0]?.n

describe('a SQL rule holding several statements', () => {
  for (const scope of ['row', 'dataset'] as const) {
    for (const [name, expression] of [
      ['the row wrapper', rowSmuggler],
      ['the dataset wrapper', datasetSmuggler],
    ] as const) {
      it(`is refused in the ${scope} scope when it escapes ${name}, creating nothing`, async () => {
        const checked = await runCheck(sandbox, people, 'check.sql', {
          name: 'sneaky',
          expression,
          scope,
          severity: 'warn',
        })
        expect(checked.result.status).toBe('failed')
        expect(checked.result.errors[0]).toMatchObject({
          code: 'BAD_CONFIG',
          nodeId: 'chk',
          field: 'config.expression',
        })
        expect(checked.result.errors[0]?.message).toMatch(
          /^Node "chk", field "config.expression": rule "sneaky": the condition (must be one SQL expression; it holds several statements \(a ";" ends one\)|does not run: .*)\.$/,
        )
        expect(await pwned()).toBe(0)
      })
    }
  }

  it('names the statements when the expression escapes the wrapper of its own scope', async () => {
    for (const [scope, expression] of [
      ['row', rowSmuggler],
      ['dataset', datasetSmuggler],
    ] as const) {
      const checked = await runCheck(sandbox, people, 'check.sql', { expression, scope })
      expect(checked.result.errors[0]?.message).toBe(
        'Node "chk", field "config.expression": rule "sql": the condition must be one SQL expression; it holds several statements (a ";" ends one).',
      )
    }
    expect(await pwned()).toBe(0)
  })

  it('is refused in a preview too, creating nothing', async () => {
    const document = chain(
      { id: 'src', kind: 'source.csv', config: { path: sandbox.write('in.csv', 'x\n1\n') } },
      rowsOf(people),
      { id: 'chk', kind: 'check.sql', config: { expression: rowSmuggler, severity: 'warn' } },
    )
    await expect(sandbox.preview(document, 'chk', 10, 'fail')).rejects.toThrow(
      /the condition must be one SQL expression/,
    )
    expect(await pwned()).toBe(0)
  })
})
