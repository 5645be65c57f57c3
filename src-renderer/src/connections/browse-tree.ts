import { computed, reactive, type ComputedRef } from 'vue'
import type { BrowseEntry, BrowsePath } from '../../../src-shared/databases'
import type { SluiceError } from '../../../src-shared/errors'
import { SluiceFailure, sluiceError } from '../../../src-shared/errors'

type SchemaEntry = Extract<BrowseEntry, { type: 'schema' }>
export type TableEntry = Extract<BrowseEntry, { type: 'table' }>
export type ColumnEntry = Extract<BrowseEntry, { type: 'column' }>

/** One visible row of the browse tree, flattened in display order with its depth (1 to 3). */
export type BrowseRow =
  | (RowState & { type: 'schema'; depth: 1; entry: SchemaEntry })
  | (RowState & { type: 'table'; depth: 2; entry: TableEntry })
  | { type: 'column'; key: string; depth: 3; entry: ColumnEntry }

interface RowState {
  key: string
  /** Where `connection/browse` finds this row's children. */
  path: BrowsePath
  expanded: boolean
  loading: boolean
  error: SluiceError | null
}

/** Asks the service for one level of the tree. */
export type BrowseLoader = (path: BrowsePath) => Promise<BrowseEntry[]>

/** The tree's state: which levels are loaded, open, loading or failed, and its visible rows. */
export interface BrowseTree {
  rows: ComputedRef<BrowseRow[]>
  /** The schemas' own load: in progress, or its error. */
  rootLoading: ComputedRef<boolean>
  rootError: ComputedRef<SluiceError | null>
  /** Loads the schemas again and forgets everything below them. */
  reload(): Promise<void>
  /** Opens a closed schema or table (loading its children the first time), or closes it. */
  toggle(row: BrowseRow): Promise<void>
}

const rootKey = ''

/** The key of a tree level: its path, so the same table under two schemas stays apart. */
export function browseKey(path: BrowsePath): string {
  if (path.schema === undefined) {
    return rootKey
  }
  return path.table === undefined
    ? JSON.stringify([path.schema])
    : JSON.stringify([path.schema, path.table])
}

function asError(thrown: unknown): SluiceError {
  if (thrown instanceof SluiceFailure) {
    return thrown.error
  }
  const reason = thrown instanceof Error ? thrown.message : String(thrown)
  return sluiceError('INTERNAL', { reason })
}

/**
 * A lazily loaded tree of schemas → tables → columns. Each level is asked for once, when first
 * opened; a database with one schema opens it straight away, since there is nothing to choose.
 */
export function createBrowseTree(load: BrowseLoader): BrowseTree {
  const state = reactive({
    children: new Map<string, BrowseEntry[]>(),
    expanded: new Set<string>(),
    loading: new Set<string>(),
    errors: new Map<string, SluiceError>(),
  })
  let generation = 0

  async function loadLevel(path: BrowsePath): Promise<void> {
    const key = browseKey(path)
    const asked = generation
    state.loading.add(key)
    state.errors.delete(key)
    try {
      const entries = await load(path)
      if (asked === generation) {
        state.children.set(key, entries)
      }
    } catch (thrown) {
      if (asked === generation) {
        state.errors.set(key, asError(thrown))
      }
    } finally {
      if (asked === generation) {
        state.loading.delete(key)
      }
    }
  }

  async function reload(): Promise<void> {
    generation += 1
    state.children.clear()
    state.expanded.clear()
    state.loading.clear()
    state.errors.clear()
    await loadLevel({})
    const schemas = state.children.get(rootKey) ?? []
    const [only] = schemas
    if (schemas.length === 1 && only?.type === 'schema') {
      state.expanded.add(browseKey({ schema: only.name }))
      await loadLevel({ schema: only.name })
    }
  }

  async function toggle(row: BrowseRow): Promise<void> {
    if (row.type === 'column') {
      return
    }
    if (state.expanded.delete(row.key)) {
      return
    }
    state.expanded.add(row.key)
    if (!state.children.has(row.key)) {
      await loadLevel(row.path)
    }
  }

  function stateOf(path: BrowsePath): RowState {
    const key = browseKey(path)
    return {
      key,
      path,
      expanded: state.expanded.has(key),
      loading: state.loading.has(key),
      error: state.errors.get(key) ?? null,
    }
  }

  const rows = computed(() => {
    const shown: BrowseRow[] = []
    for (const schema of state.children.get(rootKey) ?? []) {
      if (schema.type !== 'schema') {
        continue
      }
      const schemaRow = { ...stateOf({ schema: schema.name }), type: 'schema', depth: 1 } as const
      shown.push({ ...schemaRow, entry: schema })
      if (!schemaRow.expanded) {
        continue
      }
      for (const table of state.children.get(schemaRow.key) ?? []) {
        if (table.type !== 'table') {
          continue
        }
        const path = { schema: schema.name, table: table.name }
        const tableRow = { ...stateOf(path), type: 'table', depth: 2 } as const
        shown.push({ ...tableRow, entry: table })
        if (!tableRow.expanded) {
          continue
        }
        for (const column of state.children.get(tableRow.key) ?? []) {
          if (column.type === 'column') {
            shown.push({
              type: 'column',
              key: `${tableRow.key}\u0000${column.name}`,
              depth: 3,
              entry: column,
            })
          }
        }
      }
    }
    return shown
  })

  return {
    rows,
    rootLoading: computed(() => state.loading.has(rootKey)),
    rootError: computed(() => state.errors.get(rootKey) ?? null),
    reload,
    toggle,
  }
}

/** The config of a `source.database` node reading `table` through `connectionId`. */
export function sourceConfigFor(connectionId: string, table: TableEntry): Record<string, unknown> {
  return { connection: connectionId, schema: table.schema, table: table.name }
}

/** The config of a `sink.database` node appending to `table` through `connectionId`. */
export function sinkConfigFor(connectionId: string, table: TableEntry): Record<string, unknown> {
  return { connection: connectionId, schema: table.schema, table: table.name, mode: 'append' }
}
