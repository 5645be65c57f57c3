import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { patternPresets } from '../../src-shared/quality'
import { ensureDataset, freshFolder, warmCache } from '../data'
import { measureChild, medianRun, taskCommand, type Measurement } from '../measure'
import { comparedRow, formatMs, spreadLine, type CaseOutcome, type ResultRow } from '../report'
import { million, pipelineRepsFor, sizeLabel, type BenchContext } from './context'

/**
 * Case (j): data quality. (j.1) A 20-rule `quality.validate` suite over the orders against one
 * hand-written DuckDB statement computing the same 20 tested/failed counts over the same staged
 * rows; both sides' counts must be equal. (j.2) A profile of 1M orders × 10 columns.
 */

/** A rule of the suite and the hand-written SQL flag of the reference: TRUE fails, NULL skips. */
interface SuiteRule {
  rule: Record<string, unknown> & { name: string; check: string }
  reference: string
}

const sql = (value: string): string => `'${value.replaceAll("'", "''")}'`
/** `CASE WHEN column IS NULL THEN NULL ELSE test END`: the rule skips NULLs. */
const skipNull = (column: string, test: string): string =>
  `CASE WHEN ${column} IS NULL THEN NULL ELSE ${test} END`
const statuses = ['paid', 'shipped', 'refunded']
const types = ['proof', 'sample', 'bulk']
const cities = ['北京', '上海', '广州', '深圳', '杭州', '成都']
const inList = (values: string[]): string => `(${values.map(sql).join(', ')})`

/** Twenty rules of every row kind over the dirty orders, each with its reference flag. */
const suite: SuiteRule[] = [
  {
    rule: { name: 'email present', check: 'not-null', columns: ['customer_email'] },
    reference: 'customer_email IS NULL',
  },
  {
    rule: {
      name: 'name present',
      check: 'not-null',
      columns: ['customer_name'],
      blankIsNull: true,
    },
    reference: "customer_name IS NULL OR trim(customer_name) = ''",
  },
  {
    rule: { name: 'order id present', check: 'not-null', columns: ['order_id'] },
    reference: 'o.order_id IS NULL',
  },
  {
    rule: { name: 'order id unique', check: 'unique', columns: ['order_id'] },
    reference: skipNull('o.order_id', 'dup.copies IS NOT NULL'),
  },
  {
    rule: { name: 'status known', check: 'accepted-values', column: 'status', values: statuses },
    reference: skipNull('status', `status NOT IN ${inList(statuses)}`),
  },
  {
    rule: { name: 'type known', check: 'accepted-values', column: 'order_type', values: types },
    reference: skipNull('o.order_type', `o.order_type NOT IN ${inList(types)}`),
  },
  {
    rule: {
      name: 'type known in any case',
      check: 'accepted-values',
      column: 'order_type',
      values: types,
      ignoreCase: true,
    },
    reference: skipNull('o.order_type', `lower(trim(o.order_type)) NOT IN ${inList(types)}`),
  },
  {
    rule: { name: 'city known', check: 'accepted-values', column: 'city', values: cities },
    reference: skipNull('city', `city NOT IN ${inList(cities)}`),
  },
  {
    rule: { name: 'quantity in range', check: 'range', column: 'quantity', min: 1, max: 500 },
    reference: skipNull('quantity', 'quantity < 1 OR quantity > 500'),
  },
  {
    rule: { name: 'amount in range', check: 'range', column: 'amount', min: 0, max: 5000 },
    reference: skipNull('amount', 'amount < 0 OR amount > 5000'),
  },
  {
    rule: { name: 'amount positive', check: 'range', column: 'amount', min: 0, inclusive: false },
    reference: skipNull('amount', 'amount <= 0'),
  },
  {
    rule: { name: 'email valid', check: 'pattern', column: 'customer_email', preset: 'email' },
    reference: skipNull(
      'customer_email',
      `NOT regexp_full_match(customer_email, ${sql(patternPresets.email)})`,
    ),
  },
  {
    rule: { name: 'sku format', check: 'pattern', column: 'product_sku', regex: '^SKU-[0-9]{4}$' },
    reference: skipNull('product_sku', `NOT regexp_full_match(product_sku, '^SKU-[0-9]{4}$')`),
  },
  {
    rule: { name: 'date is ISO', check: 'pattern', column: 'order_date', preset: 'iso-date' },
    reference: skipNull(
      'order_date',
      `NOT regexp_full_match(CAST(order_date AS VARCHAR), ${sql(patternPresets['iso-date'])})`,
    ),
  },
  {
    rule: { name: 'mobile phone', check: 'pattern', column: 'phone', preset: 'phone-cn' },
    reference: skipNull(
      'phone',
      `NOT regexp_full_match(CAST(phone AS VARCHAR), ${sql(patternPresets['phone-cn'])})`,
    ),
  },
  {
    rule: { name: 'sku length', check: 'length', column: 'product_sku', min: 8, max: 8 },
    reference: skipNull('product_sku', 'length(product_sku) < 8 OR length(product_sku) > 8'),
  },
  {
    rule: { name: 'name length', check: 'length', column: 'customer_name', max: 3 },
    reference: skipNull('customer_name', 'length(customer_name) > 3'),
  },
  {
    rule: { name: 'amount not extreme', check: 'outliers', column: 'amount', method: 'zscore' },
    reference: `CASE WHEN amount IS NULL THEN NULL WHEN spread.sd IS NULL OR spread.sd = 0 THEN FALSE
                ELSE abs(CAST(amount AS DOUBLE) - spread.mean) / spread.sd > 3 END`,
  },
  {
    rule: {
      name: 'quantity usual for its type',
      check: 'outliers',
      column: 'quantity',
      method: 'iqr',
      groupBy: ['order_type'],
    },
    reference: skipNull(
      'quantity',
      'CAST(quantity AS DOUBLE) < fence.low OR CAST(quantity AS DOUBLE) > fence.high',
    ),
  },
  {
    rule: { name: 'unit price below 100', check: 'sql', expression: 'amount <= quantity * 100' },
    reference: 'NOT coalesce(amount <= quantity * 100, FALSE)',
  },
]

/**
 * The reference: one statement over the staged orders. Duplicated keys, the amount's mean and
 * spread and each type's quartile fences are small relations joined onto the rows; one
 * aggregate then counts every rule's tested (non-NULL flag) and failed (TRUE flag) rows.
 */
function referenceQuery(relation: string): string {
  const flags = suite.map(({ reference }, k) => `(${reference}) AS f${k}`)
  const counts = suite.flatMap((_, k) => [
    `count(f${k}) AS tested${k}`,
    `count_if(f${k}) AS failed${k}`,
  ])
  return `SELECT ${counts.join(', ')}
FROM (
  SELECT ${flags.join(',\n    ')}
  FROM ${relation} o
  LEFT JOIN (SELECT order_id, count(*) AS copies FROM ${relation} GROUP BY order_id HAVING count(*) > 1) dup
    ON o.order_id = dup.order_id
  CROSS JOIN (SELECT avg(CAST(amount AS DOUBLE)) AS mean, stddev_samp(CAST(amount AS DOUBLE)) AS sd
              FROM ${relation}) spread
  LEFT JOIN (SELECT order_type, q[1] - 1.5 * (q[2] - q[1]) AS low, q[2] + 1.5 * (q[2] - q[1]) AS high
             FROM (SELECT order_type, quantile_cont(CAST(quantity AS DOUBLE), [0.25, 0.75]) AS q
                   FROM ${relation} GROUP BY order_type)) fence
    ON o.order_type IS NOT DISTINCT FROM fence.order_type
)`
}

/** The orders source as the sample project reads it. */
const ordersSource = (dir: string) => ({
  id: 'orders',
  kind: 'source.csv',
  position: { x: 0, y: 0 },
  config: {
    path: join(dir, 'orders.csv'),
    columnTypes: { order_date: 'VARCHAR', customer_email: 'VARCHAR', amount: 'DECIMAL(12,2)' },
  },
})

function writePipeline(path: string, name: string, nodes: object[], edges: object[]): string {
  writeFileSync(path, JSON.stringify({ formatVersion: 1, name, nodes, edges }, null, 2))
  return path
}

const edge = (from: string, to: string) => ({
  from: { node: from, port: 'out' },
  to: { node: to, port: 'in' },
})

/** The child's note that carries its counts, parsed. */
function suiteReport(run: Measurement): { relation: string; counts: Record<string, number[]> } {
  const note = run.work.notes.find((line) => line.startsWith('{'))
  if (!note) {
    throw new Error('the Sluice child reported no counts')
  }
  return JSON.parse(note) as { relation: string; counts: Record<string, number[]> }
}

/** A measurement whose work time is one of its steps (the rest was preparation). */
function stepOnly(run: Measurement, step: string): Measurement {
  const found = run.work.steps.find((candidate) => candidate.name === step)
  if (!found) {
    throw new Error(`the child reported no step "${step}"`)
  }
  return { ...run, work: { ...run.work, ms: found.ms } }
}

/** Where the two sides' counts differ, rule by rule; empty when they agree. */
function countDifferences(sluice: Record<string, number[]>, referenceCsv: string): string[] {
  const [header = '', values = ''] = readFileSync(referenceCsv, 'utf8').trim().split('\n')
  const reference = new Map(
    header.split(',').map((name, i) => [name, Number(values.split(',')[i])]),
  )
  return suite.flatMap(({ rule }, k) => {
    const ours = sluice[rule.name]
    const theirs = [reference.get(`tested${k}`), reference.get(`failed${k}`)]
    return ours && ours[0] === theirs[0] && ours[1] === theirs[1]
      ? []
      : [`${rule.name}: sluice ${ours?.join('/') ?? 'missing'}, duckdb ${theirs.join('/')}`]
  })
}

/** Why a Sluice child failed, in words, when the engine cannot run the suite at all. */
function explained(thrown: unknown): Error {
  const message = thrown instanceof Error ? thrown.message : String(thrown)
  return /no engine implementation for node kind "quality\.validate"/.test(message)
    ? new Error('the engine has no executor for quality.validate yet (issue 6); nothing to measure')
    : new Error(message)
}

/** (j.1): the suite over 10M orders, or 1M with --skip-10m. */
export async function qualitySuiteCase(context: BenchContext): Promise<CaseOutcome> {
  const rows = context.skip10m ? million : 10 * million
  const dataset = await ensureDataset(rows, context.log)
  await warmCache(dataset)
  const label = `(j.1) 20-rule suite ${sizeLabel(rows)}`
  const sluiceRuns: Measurement[] = []
  const duckdbRuns: Measurement[] = []
  const differences = new Set<string>()
  let counts: Record<string, number[]> = {}
  for (let rep = 0; rep < pipelineRepsFor(rows, context); rep += 1) {
    context.log(`  ${label}: run ${rep + 1} …`)
    const folder = freshFolder(`quality-${sizeLabel(rows)}`)
    const source = ordersSource(dataset.dir)
    const suiteNode = {
      id: 'suite',
      kind: 'quality.validate',
      position: { x: 300, y: 0 },
      config: { rules: suite.map(({ rule }) => ({ severity: 'warn', ...rule })), weights: {} },
    }
    const pipeline = writePipeline(
      join(folder, 'suite.json'),
      'Quality suite (bench)',
      [source, suiteNode],
      [edge('orders', 'suite')],
    )
    const prepare = writePipeline(join(folder, 'orders.json'), 'Orders only (bench)', [source], [])
    const staging = join(folder, 'staging.duckdb')
    const sluice = await measureChild(
      taskCommand('quality-suite', {
        pipeline,
        prepare,
        staging,
        workDir: `${staging}.work`,
        node: 'suite',
      }),
    ).catch((thrown: unknown) => {
      throw explained(thrown)
    })
    const report = suiteReport(sluice)
    counts = report.counts
    sluiceRuns.push(stepOnly(sluice, 'validate'))

    // The reference reads the very rows the source staged, from the same file, once Sluice closed it.
    const script = join(folder, 'reference.sql')
    const output = join(folder, 'reference-counts.csv')
    writeFileSync(
      script,
      `-- step: counts\nCOPY (${referenceQuery(report.relation)}) TO '{{output}}' (HEADER)\n`,
    )
    const duckdb = await measureChild(
      taskCommand('duckdb-script', { script, database: staging, variables: { output } }),
    )
    duckdbRuns.push(stepOnly(duckdb, 'counts'))
    for (const difference of countDifferences(counts, output)) {
      differences.add(difference)
    }
  }
  const same = differences.size === 0
  const row = comparedRow(
    label,
    medianRun(sluiceRuns),
    { name: 'duckdb', run: medianRun(duckdbRuns) },
    'ratio',
    'ratio ≤ 1.5, same counts',
    (ratio) => ratio <= 1.5 && same,
  )
  const failing = Object.entries(counts)
    .filter(([, [, failed = 0] = []]) => failed > 0)
    .map(([name, [tested, failed]]) => `${name} ${failed}/${tested}`)
  return {
    rows: [row],
    details: [
      spreadLine([
        ['sluice (validate node)', sluiceRuns],
        ['duckdb (one statement)', duckdbRuns],
      ]),
      `  Sluice whole run with the source reused: ${sluiceRuns.map((run) => formatMs(run.work.steps.find((s) => s.name === 'run')?.ms ?? Number.NaN)).join(', ')}`,
      same
        ? `  counts: all 20 rules' tested and failed counts are the same on both sides`
        : `  COUNTS DIFFER: ${[...differences].join('; ')}`,
      `  failed/tested: ${failing.join(', ')}`,
    ],
  }
}

/** Most a 1M × 10 profile may take. */
const profileTargetMs = 2000

/** (j.2): a profile of 1M orders × 10 columns, after the pipeline ran. */
export async function qualityProfileCase(context: BenchContext): Promise<CaseOutcome> {
  const dataset = await ensureDataset(million, context.log)
  await warmCache(dataset)
  const folder = freshFolder('quality-profile')
  const kept = ['order_id', 'order_date', 'customer_email', 'customer_name', 'phone', 'city']
    .concat(['product_sku', 'order_type', 'quantity', 'amount'])
    .map((name) => ({ name }))
  const pipeline = writePipeline(
    join(folder, 'profile.json'),
    'Profile (bench)',
    [
      ordersSource(dataset.dir),
      {
        id: 'columns',
        kind: 'transform.select',
        position: { x: 300, y: 0 },
        config: { columns: kept },
      },
    ],
    [edge('orders', 'columns')],
  )
  const staging = join(folder, 'staging.duckdb')
  const run = await measureChild(
    taskCommand('quality-profile', {
      pipeline,
      staging,
      workDir: `${staging}.work`,
      node: 'columns',
      times: context.reps,
    }),
  )
  const times = run.work.steps.map((step) => step.ms).sort((a, b) => a - b)
  const median = times[Math.floor((times.length - 1) / 2)] ?? Number.NaN
  const row: ResultRow = {
    case: '(j.2) profile 1M × 10 columns',
    sluice: { ms: median, wallMs: run.wallMs, rssBytes: run.rssBytes },
    target: '< 2 s',
    met: median < profileTargetMs,
    otherLoad: run.otherLoad,
  }
  return {
    rows: [row],
    details: [
      `  profiles: ${run.work.steps.map((step) => formatMs(step.ms)).join(', ')} (median counts)`,
      ...run.work.notes.map((note) => `  ${note}`),
    ],
  }
}
