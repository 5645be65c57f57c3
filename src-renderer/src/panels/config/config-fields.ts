import { z } from 'zod'
import type { NodeKindSpec } from '../../../../src-shared/nodes'

/** How a config field is edited. */
export type FieldKind =
  | 'text'
  /** A SQL expression or query: Monaco with column completion. */
  | 'sql'
  /** A file to read or write: a text field with a "Choose…" button. */
  | 'path'
  /** Names an upstream column: a combobox of the upstream columns that also takes free text. */
  | 'column'
  /** A DuckDB type name: a combobox of common types. */
  | 'type'
  | 'enum'
  | 'boolean'
  | 'integer'
  | 'number'
  /** Several upstream column names. */
  | 'columnList'
  /** Several free strings (null tokens, input names). */
  | 'textList'
  /** A list of small objects, each edited with its own fields (derive's columns, sort's by). */
  | 'objectList'
  /** Column name → type (the CSV source's type overrides). */
  | 'record'
  /** A project connection, chosen by name and stored by id. */
  | 'connection'
  /** An object that may be switched off (null): its own fields while on (incremental reads). */
  | 'optionalObject'
  /** An object whose fields are always there, edited together (a suite's score weights). */
  | 'group'
  /** A number, or a date or timestamp as text (a range rule's bounds). */
  | 'numberOrText'
  /** Several values, each from a fixed list (the changes a drift rule allows). */
  | 'enumList'
  /** A validate suite's rules: a list of different kinds of rule, edited as YAML. */
  | 'rules'
  /** Names of rules upstream (a quality gate's rules). */
  | 'ruleNames'

/** One field of a generated config form. */
export interface FieldDescriptor {
  key: string
  kind: FieldKind
  /** Must be given: the schema has no default and it is not optional. */
  required: boolean
  default?: unknown
  /** For `enum`. */
  options?: string[]
  min?: number
  max?: number
  /** For `sql`: a whole query (several lines) rather than one expression. */
  multiline?: boolean
  /** For `objectList`, `optionalObject` and `group`: the fields of the object. */
  fields?: FieldDescriptor[]
  /** The key of the field's label when it is not `key` (a rule's `name` is not a column). */
  labelKey?: string
}

/** Fields holding SQL: expressions, and whole statements (see `multilineSqlKeys`). */
const sqlKeys = new Set(['where', 'expression', 'sql', 'query', 'preSql', 'postSql'])
/** SQL fields that hold whole statements over several lines rather than one expression. */
const multilineSqlKeys = new Set(['sql', 'query', 'preSql', 'postSql'])
/** Fields naming a project connection. */
const connectionKeys = new Set(['connection'])
/** Fields naming one input column. */
const columnKeys = new Set(['column', 'orderBy', 'name'])
/** Fields naming several input columns (as plain names; lists of objects are `objectList`). */
const columnListKeys = new Set(['keys', 'columns', 'groupBy', 'refColumns'])
/** Fields naming a DuckDB type. */
const typeKeys = new Set(['type'])

/** Common DuckDB types offered where a field names one (any other type may be typed). */
export const duckdbTypes = [
  'VARCHAR',
  'BOOLEAN',
  'INTEGER',
  'BIGINT',
  'DOUBLE',
  'DECIMAL(18,2)',
  'DATE',
  'TIMESTAMP',
  'TIME',
  'INTERVAL',
  'UUID',
  'BLOB',
  'JSON',
]

/** The part of a JSON Schema that z.toJSONSchema produces for our node configs. */
interface JsonSchema {
  type?: string | string[]
  enum?: unknown[]
  default?: unknown
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  properties?: Record<string, JsonSchema>
  required?: string[]
  items?: JsonSchema
  additionalProperties?: JsonSchema | boolean
  anyOf?: JsonSchema[]
  oneOf?: JsonSchema[]
}

/**
 * The form of a node kind, generated from its zod schema. The schema is read through
 * `z.toJSONSchema` (as the input type, so defaulted fields are optional), which is zod's public
 * way to look inside a schema; field names add what a schema cannot say (SQL, column names, files).
 */
export function describeConfig(
  spec: Pick<NodeKindSpec, 'config'> & Partial<Pick<NodeKindSpec, 'family'>>,
): FieldDescriptor[] {
  const schema = z.toJSONSchema(spec.config, {
    io: 'input',
    unrepresentable: 'any',
  }) as JsonSchema
  const fields = describeObject(schema)
  return spec.family === 'quality' ? fields.map(qualityField) : fields
}

/** Quality nodes' fields whose names mean something else than elsewhere. */
function qualityField(field: FieldDescriptor): FieldDescriptor {
  // A check's `name` names its rule (what results, gates and `_check` call it), not a column.
  if (field.key === 'name') {
    return { ...field, kind: 'text', labelKey: 'ruleName' }
  }
  // A gate's `rules` are names of rules upstream, not a suite's rules.
  if (field.key === 'rules' && field.kind === 'textList') {
    return { ...field, kind: 'ruleNames', labelKey: 'gateRules' }
  }
  return field
}

function describeObject(schema: JsonSchema): FieldDescriptor[] {
  const required = new Set(schema.required ?? [])
  return Object.entries(schema.properties ?? {}).map(([key, property]) =>
    describeField(key, property, required.has(key)),
  )
}

function describeField(key: string, schema: JsonSchema, required: boolean): FieldDescriptor {
  const base: FieldDescriptor = { key, kind: 'text', required }
  if (schema.default !== undefined) {
    base.default = schema.default
  }
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type
  const nullableObject = optionalObjectOf(schema)
  if (nullableObject) {
    return { ...base, kind: 'optionalObject', fields: describeObject(nullableObject) }
  }
  if (schema.enum) {
    return { ...base, kind: 'enum', options: schema.enum.map(String) }
  }
  if (isNumberOrText(schema)) {
    return { ...base, kind: 'numberOrText' }
  }
  switch (type) {
    case 'boolean':
      return { ...base, kind: 'boolean' }
    case 'integer':
    case 'number':
      return withBounds({ ...base, kind: type }, schema)
    case 'array':
      return describeArray(base, schema.items ?? {})
    case 'object':
      return schema.properties
        ? { ...base, kind: 'group', fields: describeObject(schema) }
        : { ...base, kind: 'record' }
    default:
      return { ...base, kind: stringKind(key) }
  }
}

/** The object of an `object | null` schema (a field that can be switched off), if it is one. */
function optionalObjectOf(schema: JsonSchema): JsonSchema | undefined {
  const choices = schema.anyOf ?? []
  const object = choices.find((choice) => choice.type === 'object' && choice.properties)
  const nullable = choices.some((choice) => choice.type === 'null')
  return object && nullable && choices.length === 2 ? object : undefined
}

/** `number | string`, as zod writes a union of the two. */
function isNumberOrText(schema: JsonSchema): boolean {
  const types = (schema.anyOf ?? []).map((choice) => choice.type)
  return types.length === 2 && types.includes('number') && types.includes('string')
}

function stringKind(key: string): FieldKind {
  if (key === 'path') {
    return 'path'
  }
  if (connectionKeys.has(key)) {
    return 'connection'
  }
  if (sqlKeys.has(key)) {
    return 'sql'
  }
  if (columnKeys.has(key)) {
    return 'column'
  }
  if (typeKeys.has(key)) {
    return 'type'
  }
  return 'text'
}

function describeArray(base: FieldDescriptor, items: JsonSchema): FieldDescriptor {
  if (items.type === 'object') {
    return { ...base, kind: 'objectList', fields: describeObject(items) }
  }
  if (items.oneOf || items.anyOf) {
    return { ...base, kind: 'rules' }
  }
  if (items.enum) {
    return { ...base, kind: 'enumList', options: items.enum.map(String) }
  }
  return { ...base, kind: columnListKeys.has(base.key) ? 'columnList' : 'textList' }
}

function withBounds(field: FieldDescriptor, schema: JsonSchema): FieldDescriptor {
  const min = schema.minimum ?? schema.exclusiveMinimum
  // zod writes "no upper bound" for z.int() as Number.MAX_SAFE_INTEGER.
  const max = schema.maximum !== undefined && schema.maximum < Number.MAX_SAFE_INTEGER
  return {
    ...field,
    ...(min !== undefined ? { min } : {}),
    ...(max ? { max: schema.maximum } : {}),
  }
}

/** For `sql` fields: a whole query gets a tall editor, an expression a short one. */
export function isMultilineSql(field: FieldDescriptor): boolean {
  return field.kind === 'sql' && multilineSqlKeys.has(field.key)
}

/** A new, empty item for an `objectList` field: its defaults and empty required strings. */
export function newListItem(field: FieldDescriptor): Record<string, unknown> {
  const item: Record<string, unknown> = {}
  for (const sub of field.fields ?? []) {
    if (sub.default !== undefined) {
      item[sub.key] = structuredClone(sub.default)
    } else if (sub.required) {
      item[sub.key] = sub.kind === 'enum' ? (sub.options?.[0] ?? '') : ''
    }
  }
  return item
}

/** The extensions a file field offers, and whether it picks a file to write. */
export function fileChoice(kind: string): { extensions: string[]; save: boolean } {
  const [family, format] = kind.split('.')
  const save = family === 'sink'
  switch (format) {
    case 'csv':
      return { extensions: save ? ['csv'] : ['csv', 'tsv', 'txt'], save }
    case 'json':
      return { extensions: ['json', 'ndjson', 'jsonl'], save }
    case 'parquet':
      return { extensions: ['parquet'], save }
    case 'duckdb':
      return { extensions: ['duckdb', 'db'], save }
    default:
      return { extensions: [], save }
  }
}

/** "skipRows" → "Skip rows": the label of a field the messages do not name. */
export function humanise(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_.]+/g, ' ')
  const lower = words.toLowerCase()
  return lower.charAt(0).toUpperCase() + lower.slice(1)
}
