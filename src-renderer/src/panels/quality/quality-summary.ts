import {
  qualityDimensions,
  type NodeQuality,
  type QualityDimension,
  type RuleResult,
  type RuleStatus,
} from '../../../../src-shared/quality'
import { cellText } from '../run/push-reports'

/**
 * What a check, validate or gate node's badge says about its rules: the worst outcome decides
 * the colour, and the count of rules with that outcome the text ("2 warned", "12 rules passed").
 */
export interface QualityBadge {
  /** The worst outcome: `closed` is a gate (or a `block` rule) that stopped the pushes after it. */
  outcome: 'passed' | 'warned' | 'failed' | 'blocked' | 'closed' | 'open'
  /** Rules with that outcome (all rules when every one passed). */
  count: number
  total: number
  /** The score of the checked data, 0–100, rounded. */
  score: number
  /** Why the pushes downstream stopped, in the engine's words. */
  reason?: string
}

/** Rules by how they ended. */
export function countByStatus(rules: readonly RuleResult[]): Record<RuleStatus, number> {
  const counts: Record<RuleStatus, number> = { passed: 0, warned: 0, failed: 0, blocked: 0 }
  for (const rule of rules) {
    counts[rule.status] += 1
  }
  return counts
}

/**
 * The badge of a quality node. A gate says whether it is open or closed; a check or suite says
 * its worst rule outcome, blocked before failed before warned.
 */
export function qualityBadge(quality: NodeQuality, isGate: boolean): QualityBadge {
  const counts = countByStatus(quality.rules)
  const total = quality.rules.length
  const score = Math.round(quality.score.score)
  const reason = quality.blocked === undefined ? {} : { reason: quality.blocked }
  if (isGate) {
    return {
      outcome: quality.blocked === undefined ? 'open' : 'closed',
      count: 0,
      total,
      score,
      ...reason,
    }
  }
  if (counts.blocked > 0 || quality.blocked !== undefined) {
    return { outcome: 'blocked', count: counts.blocked, total, score, ...reason }
  }
  for (const outcome of ['failed', 'warned'] as const) {
    if (counts[outcome] > 0) {
      return { outcome, count: counts[outcome], total, score }
    }
  }
  return { outcome: 'passed', count: total, total, score }
}

/** One bar of the score breakdown; `score` is null for a dimension no rule measured. */
export interface DimensionBar {
  dimension: QualityDimension
  score: number | null
}

/** The five dimensions in their fixed order, each with its score or null. */
export function dimensionBars(
  dimensions: Partial<Record<QualityDimension, number>>,
): DimensionBar[] {
  return qualityDimensions.map((dimension) => ({
    dimension,
    score: dimensions[dimension] ?? null,
  }))
}

/** The colour a score reads in: green from 90, amber from 70, red below. */
export function scoreColor(score: number): 'success' | 'warning' | 'error' {
  if (score >= 90) {
    return 'success'
  }
  return score >= 70 ? 'warning' : 'error'
}

/** The colour of a rule's status chip. */
export const ruleStatusColors: Record<RuleStatus, string> = {
  passed: 'success',
  warned: 'warning',
  failed: 'error',
  blocked: 'error',
}

/** A sample of failing rows as a small table: the union of the rows' columns, values as text. */
export function sampleTable(
  samples: ReadonlyArray<Record<string, unknown>>,
  nullText: string,
): { columns: string[]; rows: string[][] } {
  const columns = [...new Set(samples.flatMap((row) => Object.keys(row)))]
  return {
    columns,
    rows: samples.map((row) => columns.map((column) => cellText(row[column], nullText))),
  }
}

/** Kinds that report quality: the single checks, the suite and the gate. */
export function isQualityKind(kind: string): boolean {
  return kind.startsWith('check.') || kind === 'quality.validate' || kind === 'quality.gate'
}
