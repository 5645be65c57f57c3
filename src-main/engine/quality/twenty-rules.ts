import { patternPresets } from '../../../src-shared/quality'

/**
 * A 20-rule suite over generated orders, with a hand-written SQL query computing the same counts:
 * the engine test checks the suite's counts against it on 1M rows, and a benchmark can time the
 * two on 10M. The data is deterministic (a function of the row number) and fails each rule for a
 * small share of rows, as real data does.
 */
export function generatedOrders(rows: number): string {
  return `SELECT i AS id,
    i % 1200 AS cust,
    CASE WHEN i % 1000 = 0 THEN 9 ELSE i % 7 END AS grp,
    CASE WHEN i % 97 = 0 THEN NULL ELSE (i * 7919) % 10007 - 50 END AS amount,
    CASE WHEN i % 101 = 0 THEN NULL WHEN i % 131 = 0 THEN 'bad' || i ELSE 'u' || i || '@x.com' END AS email,
    CASE WHEN i % 89 = 0 THEN NULL WHEN i % 307 = 0 THEN '  ' WHEN i % 211 = 0 THEN 'AAAAAAAAA'
      ELSE repeat('A', CAST(i % 5 + 1 AS INTEGER)) END AS code,
    CASE WHEN i % 50 = 0 THEN 'Open ' WHEN i % 77 = 0 THEN 'weird'
      ELSE ['new', 'open', 'closed'][i % 3 + 1] END AS status,
    CASE WHEN i < 1000 THEN i // 2 ELSE i END AS dup,
    DATE '2024-01-01' + CAST(i % 370 AS INTEGER) AS day
  FROM range(${rows}) r(i)`
}

/** The customers the orders refer to: all but 10 of their 1,200 ids. */
export const generatedCustomers = 'SELECT i AS id FROM range(1190) r(i)'

const warn = { severity: 'warn' }

/** The suite: every row rule kind, most more than once. */
export const twentyRules: Array<Record<string, unknown>> = [
  { name: 'nn-email', check: 'not-null', columns: ['email'] },
  { name: 'nn-code-blank', check: 'not-null', columns: ['code'], blankIsNull: true },
  { name: 'nn-amount', check: 'not-null', columns: ['amount'] },
  { name: 'uq-dup', check: 'unique', columns: ['dup'] },
  { name: 'uq-id-grp', check: 'unique', columns: ['id', 'grp'] },
  {
    name: 'av-status',
    check: 'accepted-values',
    column: 'status',
    values: ['new', 'open', 'closed'],
  },
  {
    name: 'av-status-ci',
    check: 'accepted-values',
    column: 'status',
    values: ['NEW', 'open', 'closed'],
    ignoreCase: true,
  },
  {
    name: 'av-grp',
    check: 'accepted-values',
    column: 'grp',
    values: ['0', '1', '2', '3', '4', '5', '6'],
  },
  { name: 'rg-amount', check: 'range', column: 'amount', min: -50, max: 9900 },
  { name: 'rg-amount-null', check: 'range', column: 'amount', min: -50, nulls: 'fail' },
  { name: 'rg-day', check: 'range', column: 'day', min: '2024-01-01', max: '2024-12-31' },
  { name: 'pt-email', check: 'pattern', column: 'email', preset: 'email' },
  { name: 'pt-code', check: 'pattern', column: 'code', regex: 'A+', nulls: 'fail' },
  { name: 'ln-code', check: 'length', column: 'code', min: 1, max: 5 },
  { name: 'ln-email', check: 'length', column: 'email', min: 10 },
  { name: 'ol-z', check: 'outliers', column: 'amount', threshold: 1.7 },
  {
    name: 'ol-iqr',
    check: 'outliers',
    column: 'amount',
    method: 'iqr',
    groupBy: ['grp'],
    threshold: 0.49,
  },
  { name: 'sql-amount', check: 'sql', expression: 'amount IS NULL OR amount < 9800' },
  { name: 'sql-email', check: 'sql', expression: 'length(email) > 5' },
  { name: 'ref-cust', check: 'referential', columns: ['cust'], refColumns: ['id'] },
].map((rule) => ({ ...warn, ...rule }))

/**
 * One hand-written query computing each rule's tested and failed counts (`t_<rule>`, `f_<rule>`)
 * and the rows failing any rule, as an analyst would write it: one scan of the orders joined to
 * the few keyed aggregates the context rules need.
 */
export function handWrittenCounts(orders: string, customers: string): string {
  const email = patternPresets.email.replaceAll("'", "''")
  const fails: Record<string, [string, string]> = {
    'nn-email': ['count(*)', 'email IS NULL'],
    'nn-code-blank': ['count(*)', "code IS NULL OR trim(code) = ''"],
    'nn-amount': ['count(*)', 'amount IS NULL'],
    'uq-dup': ['count(dup)', 'dups.n IS NOT NULL'],
    'uq-id-grp': ['count_if(id IS NOT NULL AND grp IS NOT NULL)', 'idg.n IS NOT NULL'],
    'av-status': ['count(status)', "status NOT IN ('new', 'open', 'closed')"],
    'av-status-ci': ['count(status)', "lower(trim(status)) NOT IN ('new', 'open', 'closed')"],
    'av-grp': ['count(grp)', "CAST(grp AS VARCHAR) NOT IN ('0', '1', '2', '3', '4', '5', '6')"],
    'rg-amount': ['count(amount)', 'amount < -50 OR amount > 9900'],
    'rg-amount-null': ['count(*)', 'amount IS NULL OR amount < -50'],
    'rg-day': ['count(day)', "day < DATE '2024-01-01' OR day > DATE '2024-12-31'"],
    'pt-email': ['count(email)', `NOT regexp_full_match(email, '${email}')`],
    'pt-code': ['count(*)', "code IS NULL OR NOT regexp_full_match(code, 'A+')"],
    'ln-code': ['count(code)', 'length(code) < 1 OR length(code) > 5'],
    'ln-email': ['count(email)', 'length(email) < 10'],
    'ol-z': ['count(amount)', 'abs(amount - z.m) / z.s > 1.7'],
    'ol-iqr': [
      'count(amount)',
      'amount < q.q1 - 0.49 * (q.q3 - q.q1) OR amount > q.q3 + 0.49 * (q.q3 - q.q1)',
    ],
    'sql-amount': ['count(*)', 'NOT coalesce(amount IS NULL OR amount < 9800, FALSE)'],
    'sql-email': ['count(*)', 'NOT coalesce(length(email) > 5, FALSE)'],
    'ref-cust': ['count(cust)', 'cust IS NOT NULL AND r.found IS NULL'],
  }
  const columns = Object.entries(fails).flatMap(([rule, [tested, failed]]) => {
    const name = rule.replaceAll('-', '_')
    return [`${tested} AS t_${name}`, `count_if(${failed}) AS f_${name}`]
  })
  const any = Object.values(fails)
    .map(([, failed]) => `coalesce(${failed}, FALSE)`)
    .join(' OR ')
  return `WITH
    dups AS (SELECT dup, count(*) AS n FROM ${orders} GROUP BY dup HAVING count(*) > 1),
    idg AS (SELECT id, grp, count(*) AS n FROM ${orders} GROUP BY id, grp HAVING count(*) > 1),
    z AS (SELECT avg(amount) AS m, stddev_samp(amount) AS s FROM ${orders}),
    q AS (SELECT grp, quantile_cont(amount, 0.25) AS q1, quantile_cont(amount, 0.75) AS q3
          FROM ${orders} GROUP BY grp),
    r AS (SELECT DISTINCT id, TRUE AS found FROM ${customers})
  SELECT count(*) AS rows, count_if(${any}) AS failing, ${columns.join(', ')}
  FROM ${orders} o
    LEFT JOIN dups USING (dup)
    LEFT JOIN idg USING (id, grp)
    LEFT JOIN q USING (grp)
    CROSS JOIN z
    LEFT JOIN r ON o.cust = r.id`
}
