import type { DuckDBValue } from '@duckdb/node-api'
import { engineSentence, sluiceError, SluiceFailure } from '../../../../src-shared/errors'
import type { ReadOutcome, ReadRequest } from '../database/contract'
import { IdentifierError, quoteIdentifier } from '../database/identifiers'
import { attachDuckdbFile } from './attach'
import { currentPlace, rowsOf } from './statements'

/**
 * Reads a table or query of a DuckDB file into the staging database with one
 * `CREATE TABLE ... AS SELECT`: the file is attached read-only, and the user's query and WHERE
 * run with the file as the current catalog, so they name its tables as they would in it.
 */
export async function readDuckdbFile(request: ReadRequest): Promise<ReadOutcome> {
  const duckdb = request.duckdb
  const source = 'query' in request.source ? 'the query' : `table "${request.source.table}"`
  const attached = await attachDuckdbFile(duckdb, request.connection, {
    writable: false,
    nodeId: request.nodeId,
  })
  let home: string | undefined
  try {
    home = await currentPlace(duckdb)
    const target = qualify(request.target, home)
    const plan = planSelect(request, attached.alias)
    await duckdb.run(`USE ${attached.alias}`)
    const [created] = await rowsOf(
      duckdb,
      `CREATE TABLE ${target} AS ${plan.select}`,
      plan.values,
      request,
    )
    const rows = Number(created ? Object.values(created)[0] : 0)
    request.progress({ rows, percent: 100 })
    if (!request.incremental) {
      return { rows, warnings: [] }
    }
    const column = quoteIdentifier('duckdb', request.incremental.column)
    // The mark never goes back: a look-back re-reads rows below it.
    const after = request.incremental.after
    const newer = after === null ? 'true' : `max(${column}) > ?`
    const select = `SELECT CAST(max(${column}) AS VARCHAR) AS mark, ${newer} AS newer`
    const [mark] = plan.watermarkInOutput
      ? await rowsOf(duckdb, `${select} FROM ${target}`, after === null ? [] : [after])
      : await rowsOf(
          duckdb,
          `${select} FROM ${plan.from}${plan.where}`,
          // The select list's placeholder comes before the WHERE's.
          [...(after === null ? [] : [after]), ...plan.values],
          request,
        )
    return {
      rows,
      warnings: [],
      watermark: typeof mark?.mark === 'string' && mark.newer === true ? mark.mark : after,
    }
  } catch (thrown) {
    if (thrown instanceof SluiceFailure) {
      throw thrown
    }
    if (thrown instanceof IdentifierError) {
      throw new SluiceFailure(
        sluiceError(
          'BAD_IDENTIFIER',
          { node: request.nodeId, what: 'column', name: thrown.identifier, reason: thrown.reason },
          { nodeId: request.nodeId },
        ),
      )
    }
    const message = thrown instanceof Error ? thrown.message : String(thrown)
    throw new SluiceFailure(
      sluiceError(
        'SOURCE_READ_FAILED',
        { node: request.nodeId, source, reason: engineSentence(message) },
        { nodeId: request.nodeId, detail: message },
      ),
    )
  } finally {
    // Best effort: the file must be detached whatever happened to the statement before.
    if (home) {
      await duckdb.run(`USE ${home}`).catch(() => undefined)
    }
    await attached.detach()
  }
}

interface SelectPlan {
  select: string
  from: string
  where: string
  values: DuckDBValue[]
  watermarkInOutput: boolean
}

function planSelect(request: ReadRequest, alias: string): SelectPlan {
  const quote = (name: string) => quoteIdentifier('duckdb', name)
  const from =
    'query' in request.source
      ? `(${request.source.query.trim().replace(/;+\s*$/, '')}) AS sluice_query`
      : `${alias}.${quote(request.source.schema || 'main')}.${quote(request.source.table)}`
  const list = request.columns.length > 0 ? request.columns.map(quote).join(', ') : '*'
  const conditions: string[] = []
  const values: DuckDBValue[] = []
  if (request.where.trim() !== '') {
    conditions.push(`(${request.where})`)
  }
  const incremental = request.incremental
  if (incremental && incremental.after !== null) {
    const column = quote(incremental.column)
    const lookback = incremental.lookback.trim()
    values.push(incremental.after)
    if (lookback === '') {
      conditions.push(`${column} > ?`)
    } else if (/^\d+(\.\d+)?$/.test(lookback)) {
      conditions.push(`${column} > CAST(? AS DECIMAL(38,6)) - CAST(? AS DECIMAL(38,6))`)
      values.push(lookback)
    } else {
      conditions.push(`${column} > CAST(? AS TIMESTAMP) - CAST(? AS INTERVAL)`)
      values.push(lookback)
    }
  }
  const where = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : ''
  const folded = (name: string) => name.normalize('NFC').toLowerCase()
  return {
    select: `SELECT ${list} FROM ${from}${where}`,
    from,
    where,
    values,
    watermarkInOutput:
      incremental !== null &&
      (request.columns.length === 0 ||
        request.columns.some((name) => folded(name) === folded(incremental.column))),
  }
}

/**
 * The target in the staging catalog, whatever catalog is current: `"t"` becomes
 * `"staging"."main"."t"`, `"s"."t"` becomes `"staging"."s"."t"`.
 */
function qualify(target: string, home: string): string {
  const parts = target.match(/"(?:[^"]|"")*"|[^."]+/g) ?? [target]
  const [catalog] = home.match(/"(?:[^"]|"")*"/g) ?? []
  if (parts.length === 1) {
    return `${home}.${target}`
  }
  return parts.length === 2 ? `${catalog}.${target}` : target
}
