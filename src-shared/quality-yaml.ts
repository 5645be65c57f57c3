import { Document, isScalar, parse, visit, YAMLParseError } from 'yaml'
import type { z } from 'zod'
import { ruleBase, ruleKinds, ruleSchema, ruleSchemas, type Rule, type RuleKind } from './quality'

/**
 * A validate suite's rules as YAML, so they can be reviewed and versioned beside the project (as
 * Great Expectations suites and Soda checks files are):
 *
 * ```yaml
 * rules:
 *   - name: email present
 *     check: not-null
 *     columns: [email]
 *     severity: warn
 * ```
 *
 * Fields at their default are left out on export and filled in on import.
 */

/** The rules read from YAML, or what is wrong with it: which rule (from 1), which field, why. */
export type RulesFromYaml =
  { ok: true; rules: Rule[] } | { ok: false; reason: string; rule?: number; field?: string }

/** Writes rules as YAML: a top-level `rules:` list, each rule's name and check first. */
export function rulesToYaml(rules: readonly Rule[]): string {
  const document = new Document({ rules: rules.map(withoutDefaults) })
  // Short lists of values read best on one line: `columns: [id, email]`.
  visit(document, {
    Seq(_key, node) {
      if (node.items.every((item) => isScalar(item))) {
        node.flow = true
      }
    },
  })
  return document.toString({ lineWidth: 100, flowCollectionPadding: false })
}

/** Reads rules from YAML and checks each with the rule schema, as a validate node would. */
export function rulesFromYaml(text: string): RulesFromYaml {
  let data: unknown
  try {
    data = parse(text)
  } catch (thrown) {
    if (thrown instanceof YAMLParseError) {
      const line = thrown.linePos?.[0]
      const where = line ? ` at line ${line.line}, column ${line.col}` : ''
      return { ok: false, reason: `it is not valid YAML${where} (${firstLine(thrown.message)})` }
    }
    throw thrown
  }
  const list = listOfRules(data)
  if (!list) {
    return { ok: false, reason: 'put the rules in a top-level `rules:` list' }
  }
  const rules: Rule[] = []
  const names = new Set<string>()
  for (const [index, raw] of list.entries()) {
    const number = index + 1
    const parsed = ruleSchema.safeParse(withTextValues(raw))
    if (!parsed.success) {
      return describeProblem(number, raw, parsed.error)
    }
    if (names.has(parsed.data.name)) {
      return {
        ok: false,
        rule: number,
        field: 'name',
        reason: `rule ${number}: two rules are named "${parsed.data.name}"; give each its own name`,
      }
    }
    names.add(parsed.data.name)
    rules.push(parsed.data)
  }
  return { ok: true, rules }
}

/** Accepts `rules: [...]` and, leniently, a bare list of rules. */
function listOfRules(data: unknown): unknown[] | undefined {
  if (Array.isArray(data)) {
    return data
  }
  if (isRecord(data) && Array.isArray(data.rules)) {
    return data.rules
  }
  return undefined
}

/**
 * `values: [1, 2]` is kept as the texts "1" and "2", as the rule's schema takes them; a number,
 * date or boolean column reads each back as its own type before comparing.
 */
function withTextValues(raw: unknown): unknown {
  if (isRecord(raw) && raw.check === 'accepted-values' && Array.isArray(raw.values)) {
    return {
      ...raw,
      values: raw.values.map((value: unknown) =>
        typeof value === 'number' || typeof value === 'boolean' ? String(value) : value,
      ),
    }
  }
  return raw
}

function describeProblem(
  number: number,
  raw: unknown,
  error: z.ZodError,
): Extract<RulesFromYaml, { ok: false }> {
  const name = isRecord(raw) && typeof raw.name === 'string' ? ` ("${raw.name}")` : ''
  const which = `rule ${number}${name}`
  if (!isRecord(raw)) {
    return { ok: false, rule: number, reason: `${which} is not a mapping of fields` }
  }
  const check = raw.check
  if (typeof check !== 'string' || !(ruleKinds as string[]).includes(check)) {
    const found = check === undefined ? 'has no `check`' : `has an unknown check "${String(check)}"`
    return {
      ok: false,
      rule: number,
      field: 'check',
      reason: `${which} ${found}; use one of: ${ruleKinds.join(', ')}`,
    }
  }
  const issue = error.issues[0]
  if (issue?.code === 'unrecognized_keys') {
    const field = issue.keys[0] ?? ''
    return {
      ok: false,
      rule: number,
      field,
      reason: `${which}, field "${field}": a ${check} rule has no such field; its fields are ${fieldsOf(check as RuleKind).join(', ')}`,
    }
  }
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : undefined
  const message = issue?.message ?? 'it is not a valid rule'
  return {
    ok: false,
    rule: number,
    ...(field ? { field } : {}),
    reason: `${which}${field ? `, field "${field}"` : ''}: ${message}`,
  }
}

/** A rule's fields in reading order: name and check, what it tests, then severity and mostly. */
function fieldsOf(kind: RuleKind): string[] {
  return ['name', 'check', ...Object.keys(ruleSchemas[kind].shape), 'severity', 'mostly']
}

/** The field's schema; parsing `undefined` with it gives the field's default, if it has one. */
function fieldSchema(kind: RuleKind, field: string): z.ZodType | undefined {
  const own = ruleSchemas[kind].shape as Record<string, z.ZodType>
  const base = ruleBase.shape as Record<string, z.ZodType>
  return own[field] ?? base[field]
}

/** The rule with its fields in reading order, leaving out those equal to their default. */
function withoutDefaults(rule: Rule): Record<string, unknown> {
  const values = rule as unknown as Record<string, unknown>
  const kept: Record<string, unknown> = {}
  for (const field of fieldsOf(rule.check)) {
    const value = values[field]
    if (value === undefined) {
      continue
    }
    const fallback = fieldSchema(rule.check, field)?.safeParse(undefined)
    if (fallback?.success && fallback.data !== undefined && sameValue(fallback.data, value)) {
      continue
    }
    kept[field] = value
  }
  return kept
}

function sameValue(left: unknown, right: unknown): boolean {
  return JSON.stringify(left) === JSON.stringify(right)
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text
}
