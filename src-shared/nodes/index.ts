import { databaseSink, databaseSource } from './databases'
import { excelSink, excelSource } from './excel'
import { csvSink, duckdbSink, jsonSink, parquetSink } from './sinks'
import { csvSource, folderSource, jsonSource, parquetSource } from './sources'
import { checkNodes, gateNode, validateNode } from './quality'
import type { NodeFamily, NodeKindSpec } from './spec'
import {
  castTransform,
  dedupeTransform,
  deriveTransform,
  fillTransform,
  filterTransform,
  limitTransform,
  selectTransform,
  sortTransform,
  sqlTransform,
} from './transforms'

export type { NodeFamily, NodeKindSpec, PortSpec } from './spec'

/** Every node kind this build knows, in palette order. */
export const nodeCatalogue: readonly NodeKindSpec[] = [
  csvSource,
  jsonSource,
  parquetSource,
  excelSource,
  folderSource,
  databaseSource,
  selectTransform,
  filterTransform,
  deriveTransform,
  castTransform,
  fillTransform,
  dedupeTransform,
  sortTransform,
  limitTransform,
  sqlTransform,
  ...checkNodes,
  validateNode,
  gateNode,
  csvSink,
  parquetSink,
  excelSink,
  jsonSink,
  duckdbSink,
  databaseSink,
] as unknown as readonly NodeKindSpec[]

const byKind = new Map(nodeCatalogue.map((spec) => [spec.kind, spec]))

/** The declaration of a kind, or undefined for a kind this build does not know. */
export function findNodeKind(kind: string): NodeKindSpec | undefined {
  return byKind.get(kind)
}

/** The palette: what the UI lists, grouped by family. */
export function listNodeKinds(): ReadonlyArray<{
  kind: string
  family: NodeFamily
  title: string
  help: string
}> {
  return nodeCatalogue.map(({ kind, family, title, help }) => ({ kind, family, title, help }))
}
