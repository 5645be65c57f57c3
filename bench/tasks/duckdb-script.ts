import { readFileSync, writeFileSync } from 'node:fs'
import { DuckDBInstance } from '@duckdb/node-api'
import iconv from 'iconv-lite'
import { z } from 'zod'
import { reportWork, taskInput } from '../measure'

/**
 * Child task: the hand-written reference. Transcodes the files it is asked to (timed: Sluice
 * transcodes inside its run too), then runs a SQL script in a fresh DuckDB database step by
 * step. Steps are separated by `-- step: <name>` lines; `{{name}}` is replaced by a variable,
 * quote-escaped for use inside a SQL string literal.
 */
const input = taskInput(
  z.object({
    script: z.string(),
    database: z.string(),
    variables: z.record(z.string(), z.string()),
    transcode: z
      .array(z.object({ from: z.string(), to: z.string(), encoding: z.string() }))
      .default([]),
  }),
)

/** The script's steps, variables filled in. */
function scriptSteps(
  text: string,
  variables: Record<string, string>,
): Array<{ name: string; sql: string }> {
  const filled = text.replace(/\{\{(\w+)\}\}/g, (_match, name: string) => {
    const value = variables[name]
    if (value === undefined) {
      throw new Error(`the script uses {{${name}}} but no such variable was given`)
    }
    return value.replaceAll("'", "''")
  })
  return filled
    .split(/^-- step: /m)
    .slice(1)
    .map((part) => {
      const [name = '', ...body] = part.split('\n')
      return { name: name.trim(), sql: body.join('\n').trim() }
    })
}

const steps = scriptSteps(readFileSync(input.script, 'utf8'), input.variables)

await reportWork(async (step) => {
  for (const { from, to, encoding } of input.transcode) {
    const started = performance.now()
    // The files transcoded here are small (the customers list); reading whole is fine.
    writeFileSync(to, iconv.decode(readFileSync(from), encoding))
    step(`transcode ${from.split('/').at(-1)}`, performance.now() - started)
  }
  const instance = await DuckDBInstance.create(input.database)
  const connection = await instance.connect()
  for (const { name, sql } of steps) {
    const started = performance.now()
    await connection.run(sql)
    step(name, performance.now() - started)
  }
  connection.closeSync()
  instance.closeSync()
})
