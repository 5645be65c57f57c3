import { ruleKinds } from '../../../src-shared/quality'
import { checkRuleExecutor } from './check-rule'
import type { NodeExecutor } from './executor'
import { gateExecutor } from './quality-gate'
import { validateExecutor } from './quality-validate'
import { castExecutor } from './transform-cast'
import { dedupeExecutor } from './transform-dedupe'
import { deriveExecutor } from './transform-derive'
import { fillExecutor } from './transform-fill'
import { filterExecutor } from './transform-filter'
import { limitExecutor } from './transform-limit'
import { selectExecutor } from './transform-select'
import { sortExecutor } from './transform-sort'
import { sqlExecutor } from './transform-sql'
import { csvSinkExecutor } from './sink-csv'
import { databaseSinkExecutor } from './sink-database'
import { duckdbSinkExecutor } from './sink-duckdb'
import { excelSinkExecutor } from './sink-excel'
import { jsonSinkExecutor } from './sink-json'
import { parquetSinkExecutor } from './sink-parquet'
import { csvSourceExecutor } from './source-csv'
import { excelSourceExecutor } from './source-excel'
import { databaseSourceExecutor } from './source-database'
import { folderSourceExecutor } from './source-folder'
import { jsonSourceExecutor } from './source-json'
import { parquetSourceExecutor } from './source-parquet'

/** The engine implementation of each kind declared in `src-shared/nodes`. */
const executors: Record<string, NodeExecutor<never>> = {
  'source.csv': csvSourceExecutor,
  'source.json': jsonSourceExecutor,
  'source.parquet': parquetSourceExecutor,
  'source.excel': excelSourceExecutor,
  'source.folder': folderSourceExecutor,
  'source.database': databaseSourceExecutor,
  'transform.select': selectExecutor,
  'transform.filter': filterExecutor,
  'transform.derive': deriveExecutor,
  'transform.cast': castExecutor,
  'transform.fill': fillExecutor,
  'transform.dedupe': dedupeExecutor,
  'transform.sort': sortExecutor,
  'transform.limit': limitExecutor,
  'transform.sql': sqlExecutor,
  ...Object.fromEntries(ruleKinds.map((kind) => [`check.${kind}`, checkRuleExecutor(kind)])),
  'quality.validate': validateExecutor,
  'quality.gate': gateExecutor,
  'sink.csv': csvSinkExecutor,
  'sink.parquet': parquetSinkExecutor,
  'sink.excel': excelSinkExecutor,
  'sink.json': jsonSinkExecutor,
  'sink.duckdb': duckdbSinkExecutor,
  'sink.database': databaseSinkExecutor,
}

/** The executor for a kind; every catalogue kind has one (a test checks the two lists match). */
export function executorFor(kind: string): NodeExecutor {
  const executor = executors[kind]
  if (!executor) {
    throw new Error(`no engine implementation for node kind "${kind}"`)
  }
  return executor as NodeExecutor
}

export const implementedKinds = Object.keys(executors)
