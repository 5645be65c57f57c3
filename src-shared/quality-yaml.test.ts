import { describe, expect, it } from 'vitest'
import { ruleSchema, type Rule } from './quality'
import { rulesFromYaml, rulesToYaml } from './quality-yaml'

/** One rule of every kind, some with non-default settings, as a validate node holds them. */
const suite: Rule[] = [
  { name: 'email present', check: 'not-null', columns: ['email'], severity: 'warn' },
  { name: 'one row per id', check: 'unique', columns: ['id', 'region'], nulls: 'fail' },
  { name: 'status known', check: 'accepted-values', column: 'status', values: ['007', 'yes'] },
  { name: 'amount', check: 'range', column: 'amount', min: 0, max: 1e6, inclusive: false },
  { name: 'since 2024', check: 'range', column: 'ordered', min: '2024-01-01' },
  { name: 'email ok', check: 'pattern', column: 'email', preset: 'email', mostly: 0.95 },
  { name: 'code', check: 'pattern', column: 'code', regex: '^[A-Z]{2}-\\d+: "#x"$' },
  { name: 'name length', check: 'length', column: 'name', max: 80 },
  {
    name: 'account exists',
    check: 'referential',
    columns: ['account'],
    refColumns: ['id'],
    severity: 'block',
  },
  { name: 'volume', check: 'row-count', min: 1, maxChangePercent: 20 },
  { name: 'fresh', check: 'freshness', column: 'ordered', maxAgeHours: 24 },
  { name: 'odd amounts', check: 'outliers', column: 'amount', method: 'iqr', groupBy: ['region'] },
  { name: 'no drift', check: 'schema-drift', allow: ['added'] },
  { name: 'ships after order', check: 'sql', expression: 'shipped >= ordered' },
  { name: 'some revenue', check: 'sql', expression: 'sum(amount) > 0', scope: 'dataset' },
].map((rule) => ruleSchema.parse(rule))

describe('rules as YAML', () => {
  it('round-trips a suite of every rule kind exactly', () => {
    const yaml = rulesToYaml(suite)
    expect(rulesFromYaml(yaml)).toEqual({ ok: true, rules: suite })
  })

  it('writes a readable layout: a rules list, name and check first, defaults left out', () => {
    const yaml = rulesToYaml(suite.slice(0, 3))
    expect(yaml).toBe(
      [
        'rules:',
        '  - name: email present',
        '    check: not-null',
        '    columns: [email]',
        '    severity: warn',
        '  - name: one row per id',
        '    check: unique',
        '    columns: [id, region]',
        '    nulls: fail',
        '  - name: status known',
        '    check: accepted-values',
        '    column: status',
        '    values: ["007", yes]',
        '',
      ].join('\n'),
    )
  })

  it('fills in defaults, reads numbers in accepted values as text, and takes a bare list', () => {
    const read = rulesFromYaml(
      '- name: region\n  check: accepted-values\n  column: region\n  values: [1, 2, EU]\n',
    )
    expect(read).toEqual({
      ok: true,
      rules: [
        {
          name: 'region',
          check: 'accepted-values',
          column: 'region',
          values: ['1', '2', 'EU'],
          ignoreCase: false,
          nulls: 'skip',
          severity: 'fail',
          mostly: 1,
        },
      ],
    })
    expect(rulesFromYaml('rules: []\n')).toEqual({ ok: true, rules: [] })
  })

  it('names the rule, the field and the problem when a rule is wrong', () => {
    const rule = (body: string): string =>
      `rules:\n  - name: ok\n    check: not-null\n    columns: [a]\n  - ${body}`
    expect(rulesFromYaml(rule('name: amount\n    check: range\n    column: amount\n'))).toEqual({
      ok: false,
      rule: 2,
      field: 'min',
      reason: 'rule 2 ("amount"), field "min": give a minimum or a maximum',
    })
    expect(rulesFromYaml(rule('name: x\n    check: nonsense\n'))).toMatchObject({
      ok: false,
      rule: 2,
      field: 'check',
      reason: expect.stringMatching(
        /^rule 2 \("x"\) has an unknown check "nonsense"; use one of: not-null, unique, /,
      ),
    })
    expect(rulesFromYaml(rule('name: x\n    columns: [a]\n'))).toMatchObject({
      field: 'check',
      reason: expect.stringContaining('rule 2 ("x") has no `check`'),
    })
    expect(
      rulesFromYaml(
        rule('name: x\n    check: length\n    column: a\n    max: 3\n    colour: red\n'),
      ),
    ).toEqual({
      ok: false,
      rule: 2,
      field: 'colour',
      reason:
        'rule 2 ("x"), field "colour": a length rule has no such field; its fields are name, check, column, min, max, nulls, severity, mostly',
    })
    expect(rulesFromYaml(rule('name: x\n    check: not-null\n    columns: []\n'))).toMatchObject({
      field: 'columns',
      reason: 'rule 2 ("x"), field "columns": name at least one column',
    })
    expect(
      rulesFromYaml(rule('name: x\n    check: not-null\n    columns: [a]\n    mostly: 2\n')),
    ).toMatchObject({
      field: 'mostly',
      reason: expect.stringContaining('rule 2 ("x"), field "mostly": '),
    })
    expect(rulesFromYaml(rule('name: ok\n    check: not-null\n    columns: [b]\n'))).toMatchObject({
      field: 'name',
      reason: 'rule 2: two rules are named "ok"; give each its own name',
    })
    expect(rulesFromYaml(rule('just text\n'))).toMatchObject({
      rule: 2,
      reason: 'rule 2 is not a mapping of fields',
    })
  })

  it('says where the YAML itself is broken, and when there is no rules list', () => {
    const broken = rulesFromYaml('rules:\n  - name: a\n    check: [unclosed\n')
    expect(broken.ok).toBe(false)
    expect(!broken.ok && broken.reason).toMatch(/^it is not valid YAML at line \d+, column \d+ \(/)
    for (const text of ['hello', 'rules: 3', 'checks:\n  - name: a\n', '']) {
      expect(rulesFromYaml(text)).toEqual({
        ok: false,
        reason: 'put the rules in a top-level `rules:` list',
      })
    }
  })
})
