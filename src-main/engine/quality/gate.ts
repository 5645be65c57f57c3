import type { NodeQuality, QualityScore, RuleResult } from '../../../src-shared/quality'
import type { ColumnInfo, UpstreamQuality } from '../nodes/executor'

/** What a quality gate is told to hold: a minimum score, rules that must have passed. */
export interface GateConfig {
  minScore?: number | undefined
  rules: string[]
}

const noScore: QualityScore = { score: 100, dimensions: {}, columns: [] }

/**
 * A gate's decision. Its score is the lowest dataset score among the nearest check or validate
 * nodes upstream (the data it guards is only as good as its worst checked part); a named rule is
 * looked up in every check or validate node upstream. The gate closes when the score is below the
 * minimum, a named rule did not pass (it warned, failed or blocked: it fell below its threshold),
 * or a named rule is not found (a renamed rule must not open the gate silently); `blocked` then
 * says why.
 */
export function decideGate(
  config: GateConfig,
  upstream: readonly UpstreamQuality[],
  schema: ColumnInfo[],
): NodeQuality {
  const reasons: string[] = []
  const nearest = upstream.filter((found) => found.nearest)
  const lowest = nearest.reduce<UpstreamQuality | undefined>(
    (low, found) => (!low || found.quality.score.score < low.quality.score.score ? found : low),
    undefined,
  )
  if (config.minScore !== undefined) {
    if (!lowest) {
      reasons.push('no check or validate node upstream scores the data')
    } else if (lowest.quality.score.score < config.minScore) {
      reasons.push(
        `the quality score of "${lowest.nodeId}" is ${lowest.quality.score.score}, below the minimum ${config.minScore}`,
      )
    }
  }
  const rules: RuleResult[] = []
  for (const name of config.rules) {
    const found = upstream.flatMap((node) =>
      node.quality.rules
        .filter((result) => result.rule === name)
        .map((result) => ({ node: node.nodeId, result })),
    )
    if (found.length === 0) {
      reasons.push(`no check upstream has a rule "${name}"`)
    }
    for (const { node, result } of found) {
      rules.push(result)
      // A warned rule missed its threshold too: the gate holds a named rule to it whatever its
      // severity, which only decides what the check node itself does.
      if (result.status !== 'passed') {
        reasons.push(`rule "${name}" of "${node}" ${result.status}: ${result.message}`)
      }
    }
  }
  return {
    rules,
    score: lowest?.quality.score ?? noScore,
    schema: schema.map((column) => ({ name: column.name, type: column.type })),
    ...(reasons.length > 0 ? { blocked: reasons.join('; ') } : {}),
  }
}
