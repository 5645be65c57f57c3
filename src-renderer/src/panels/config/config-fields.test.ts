import { describe, expect, it } from 'vitest'
import { findNodeKind, nodeCatalogue } from '../../../../src-shared/nodes'
import {
  describeConfig,
  fileChoice,
  humanise,
  isMultilineSql,
  newListItem,
  type FieldDescriptor,
} from './config-fields'

function fieldsOf(kind: string): FieldDescriptor[] {
  const spec = findNodeKind(kind)
  if (!spec) {
    throw new Error(`no kind ${kind}`)
  }
  return describeConfig(spec)
}

function field(kind: string, key: string): FieldDescriptor | undefined {
  return fieldsOf(kind).find((candidate) => candidate.key === key)
}

describe('describeConfig', () => {
  it('describes the CSV source field by field, with defaults and bounds', () => {
    expect(fieldsOf('source.csv').map(({ key, kind }) => `${key}:${kind}`)).toEqual([
      'path:path',
      'delimiter:text',
      'quote:text',
      'escape:text',
      'header:boolean',
      'skipRows:integer',
      'encoding:enum',
      'nullTokens:textList',
      'columnTypes:record',
      'allText:boolean',
      'sampleSize:integer',
    ])
    expect(field('source.csv', 'path')).toMatchObject({ required: true })
    expect(field('source.csv', 'header')).toMatchObject({ required: false, default: true })
    expect(field('source.csv', 'skipRows')).toEqual({
      key: 'skipRows',
      kind: 'integer',
      required: false,
      default: 0,
      min: 0,
    })
    expect(field('source.csv', 'encoding')?.options).toContain('gb18030')
    expect(field('source.csv', 'nullTokens')?.default).toEqual(['', 'NA', 'NULL'])
  })

  it('makes SQL fields Monaco fields, a query multi-line', () => {
    expect(field('transform.filter', 'where')).toMatchObject({ kind: 'sql', required: true })
    expect(field('transform.sql', 'sql')).toMatchObject({ kind: 'sql' })
    expect(field('transform.sql', 'inputs')).toMatchObject({
      kind: 'textList',
      default: ['input'],
    })
  })

  it('describes lists of small objects with their own fields', () => {
    const derive = field('transform.derive', 'columns')
    expect(derive?.kind).toBe('objectList')
    expect(derive?.fields?.map(({ key, kind }) => `${key}:${kind}`)).toEqual([
      'name:column',
      'expression:sql',
    ])
    const sort = field('transform.sort', 'by')
    expect(sort?.fields).toEqual([
      { key: 'column', kind: 'column', required: true },
      { key: 'descending', kind: 'boolean', required: false, default: false },
      { key: 'nullsFirst', kind: 'boolean', required: false, default: false },
    ])
    const cast = field('transform.cast', 'columns')
    expect(cast?.fields?.map(({ key, kind }) => `${key}:${kind}`)).toEqual([
      'name:column',
      'type:type',
      'onError:enum',
    ])
    expect(field('transform.select', 'columns')?.fields?.[1]).toEqual({
      key: 'as',
      kind: 'text',
      required: false,
    })
  })

  it('keeps refined schemas (fill, limit, SQL) describable', () => {
    expect(fieldsOf('transform.fill').map((f) => f.key)).toEqual(['columns', 'orderBy'])
    expect(field('transform.fill', 'orderBy')?.kind).toBe('column')
    expect(field('transform.limit', 'rows')).toMatchObject({ kind: 'integer', required: false })
    expect(field('transform.limit', 'percent')).toMatchObject({
      kind: 'number',
      min: 0,
      max: 100,
    })
    expect(field('transform.dedupe', 'keys')?.kind).toBe('columnList')
  })

  it('describes the database source and sink with connection, SQL and switchable fields', () => {
    expect(fieldsOf('source.database').map(({ key, kind }) => `${key}:${kind}`)).toEqual([
      'connection:connection',
      'schema:text',
      'table:text',
      'query:sql',
      'columns:columnList',
      'where:sql',
      'incremental:optionalObject',
    ])
    const incremental = field('source.database', 'incremental')
    expect(incremental?.fields).toEqual([
      { key: 'column', kind: 'column', required: true },
      { key: 'lookback', kind: 'text', required: false, default: '' },
    ])
    expect(newListItem(incremental as FieldDescriptor)).toEqual({ column: '', lookback: '' })
    expect(fieldsOf('sink.database').map(({ key, kind }) => `${key}:${kind}`)).toEqual([
      'connection:connection',
      'schema:text',
      'table:text',
      'mode:enum',
      'keys:columnList',
      'createMissing:boolean',
      'preSql:sql',
      'postSql:sql',
    ])
    expect(isMultilineSql(field('sink.database', 'preSql') as FieldDescriptor)).toBe(true)
    expect(isMultilineSql(field('source.database', 'query') as FieldDescriptor)).toBe(true)
    expect(isMultilineSql(field('source.database', 'where') as FieldDescriptor)).toBe(false)
  })

  it('gives every kind in the catalogue a form of known field kinds', () => {
    for (const spec of nodeCatalogue) {
      const fields = describeConfig(spec)
      expect(fields.length, spec.kind).toBeGreaterThan(0)
    }
  })
})

describe('newListItem', () => {
  it('fills defaults and empty required strings', () => {
    const sort = field('transform.sort', 'by') as FieldDescriptor
    expect(newListItem(sort)).toEqual({ column: '', descending: false, nullsFirst: false })
    const fill = field('transform.fill', 'columns') as FieldDescriptor
    expect(newListItem(fill)).toEqual({ name: '', strategy: 'constant' })
  })
})

describe('fileChoice', () => {
  it('offers the extensions of each file kind, saving for sinks', () => {
    expect(fileChoice('source.csv')).toEqual({ extensions: ['csv', 'tsv', 'txt'], save: false })
    expect(fileChoice('source.json')).toEqual({
      extensions: ['json', 'ndjson', 'jsonl'],
      save: false,
    })
    expect(fileChoice('source.parquet')).toEqual({ extensions: ['parquet'], save: false })
    expect(fileChoice('sink.csv')).toEqual({ extensions: ['csv'], save: true })
    expect(fileChoice('sink.parquet').save).toBe(true)
  })
})

describe('humanise', () => {
  it('turns keys into labels', () => {
    expect(humanise('skipRows')).toBe('Skip rows')
    expect(humanise('file_column')).toBe('File column')
    expect(humanise('path')).toBe('Path')
  })
})

describe('describeConfig for quality nodes', () => {
  const kinds = (kind: string) => fieldsOf(kind).map((described) => [described.key, described.kind])

  it('edits a check rule name as text under its own label, not as a column', () => {
    const name = field('check.not-null', 'name')
    expect(name).toMatchObject({ kind: 'text', labelKey: 'ruleName', default: 'not-null' })
    expect(field('check.not-null', 'severity')).toMatchObject({
      kind: 'enum',
      options: ['warn', 'fail', 'block'],
    })
  })

  it('gives range bounds a number-or-date field and drift its allowed changes as a list', () => {
    expect(kinds('check.range')).toContainEqual(['min', 'numberOrText'])
    expect(field('check.schema-drift', 'allow')).toMatchObject({
      kind: 'enumList',
      options: ['added', 'removed', 'retyped'],
    })
    expect(kinds('check.outliers')).toContainEqual(['groupBy', 'columnList'])
    expect(kinds('check.referential')).toContainEqual(['refColumns', 'columnList'])
  })

  it('edits a suite as rules plus a group of five weights', () => {
    expect(kinds('quality.validate')).toEqual([
      ['rules', 'rules'],
      ['weights', 'group'],
    ])
    expect(field('quality.validate', 'weights')?.fields?.map((weight) => weight.key)).toEqual([
      'completeness',
      'validity',
      'uniqueness',
      'consistency',
      'timeliness',
    ])
  })

  it('offers a gate the rule names upstream', () => {
    expect(field('quality.gate', 'rules')).toMatchObject({
      kind: 'ruleNames',
      labelKey: 'gateRules',
    })
  })

  it('leaves a derive column name a column field', () => {
    expect(field('transform.derive', 'columns')?.fields?.[0]).toMatchObject({
      key: 'name',
      kind: 'column',
    })
  })
})
