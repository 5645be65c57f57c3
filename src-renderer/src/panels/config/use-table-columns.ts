import { ref, watch, type Ref } from 'vue'
import type { PipelineNode } from '../../../../src-shared/pipeline'
import { useConnectionStore } from '../../stores/connections'
import type { ColumnInfo } from './upstream'

/** Answers by connection, schema and table: each table's columns are asked for once. */
const answers = new Map<string, Promise<ColumnInfo[]>>()

/** The table a database source reads, when its config names one completely. */
export function sourceTableOf(
  node: Pick<PipelineNode, 'kind' | 'config'> | undefined,
): { connection: string; schema: string; table: string } | null {
  if (node?.kind !== 'source.database') {
    return null
  }
  const { connection, schema, table } = node.config as Record<string, unknown>
  const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '')
  const found = { connection: text(connection), schema: text(schema), table: text(table) }
  return found.connection && found.schema && found.table ? found : null
}

/**
 * The columns of the table a database source reads, with the DuckDB types they stage as, so its
 * column fields and WHERE editor can offer them. Empty for other nodes, or while the table is
 * not named or cannot be browsed.
 */
export function useSourceTableColumns(
  node: Ref<Pick<PipelineNode, 'kind' | 'config'> | undefined>,
): Ref<ColumnInfo[]> {
  const connections = useConnectionStore()
  const columns = ref<ColumnInfo[]>([])
  let asked = 0

  watch(
    () => JSON.stringify(sourceTableOf(node.value)),
    async () => {
      const table = sourceTableOf(node.value)
      const turn = ++asked
      if (!table) {
        columns.value = []
        return
      }
      const key = JSON.stringify(table)
      let answer = answers.get(key)
      if (!answer) {
        answer = connections
          .browse(table.connection, { schema: table.schema, table: table.table })
          .then((entries) =>
            entries.flatMap((entry) =>
              entry.type === 'column' ? [{ name: entry.name, type: entry.duckdbType }] : [],
            ),
          )
        answers.set(key, answer)
      }
      try {
        const found = await answer
        if (turn === asked) {
          columns.value = found
        }
      } catch {
        // A table that cannot be browsed now (server down, typo) is asked again next time.
        answers.delete(key)
        if (turn === asked) {
          columns.value = []
        }
      }
    },
    { immediate: true },
  )
  return columns
}
