import type { ColumnProfile } from '../../../src-shared/api'
import type { PatternShares } from './profile-values'

/** What a column holds, in a user's words. */
export type SemanticType = ColumnProfile['semanticType']

/** The share of sampled values that must match a pattern for the column to be of its kind. */
export const patternShareNeeded = 0.9
/** A category has at most this share of distinct values among its non-null values... */
export const categoryDistinctShare = 0.2
/** ...and at most this many distinct values (a name column repeats, but is no category). */
export const categoryMostValues = 1000
/** Text at least this long on average, or mostly holding spaces, is free text. */
export const freeTextLength = 40
/** An id held as text is a short code: at most this long on average, without spaces. */
export const idCodeLength = 40

/** The figures a column's semantic type is inferred from, all computed by the profile's SQL. */
export interface SemanticEvidence {
  /** The DuckDB type. */
  type: string
  /** Non-null values. */
  filled: number
  /** Distinct non-null values (estimated). */
  distinct: number
  /** Rows of the most frequent non-null value: 1 means no value repeats (exact, from top values). */
  mostRepeated: number
  /** Mean length of the text values; null for other types. */
  averageLength: number | null
  /** Text values holding a space; null for other types. */
  spaced: number | null
  /** Pattern matches in a sample of the values; absent for columns that are not sampled. */
  patterns?: PatternShares
}

const wholeNumber = /^U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)$/
const number = /^(FLOAT|REAL|DOUBLE|DECIMAL\(\d+,\s*\d+\))$/

function matchesMostly(patterns: PatternShares | undefined, kind: keyof PatternShares): boolean {
  return patterns !== undefined && patterns.sampled > 0
    ? patterns[kind] / patterns.sampled >= patternShareNeeded
    : false
}

/**
 * Infers what a column holds from its type and figures, most specific first:
 * - nothing but NULLs: `other`;
 * - DATE and TIMESTAMP columns, and text of which ≥ 90% of a sample reads as a date: `date`;
 * - text (or whole numbers) of which ≥ 90% of a sample matches the email or phone presets of
 *   the pattern rule: `email`, `phone`;
 * - whole numbers where no value repeats, and text that is a short code (≤ 40 characters on
 *   average, no spaces) where no value repeats: `id`;
 * - other numbers: `number`; BOOLEAN: `category`;
 * - text with few distinct values (≤ 20% of its values and ≤ 1,000): `category`;
 * - text ≥ 40 characters on average or mostly holding spaces: `free text`;
 * - anything else: `other`.
 */
export function inferSemanticType(evidence: SemanticEvidence): SemanticType {
  const { type, filled, distinct, mostRepeated, patterns } = evidence
  if (filled === 0) {
    return 'other'
  }
  if (type === 'DATE' || type.startsWith('TIMESTAMP')) {
    return 'date'
  }
  if (type === 'BOOLEAN') {
    return 'category'
  }
  if (matchesMostly(patterns, 'email')) {
    return 'email'
  }
  if (matchesMostly(patterns, 'phone')) {
    return 'phone'
  }
  const unique = mostRepeated === 1
  if (wholeNumber.test(type)) {
    return unique ? 'id' : 'number'
  }
  if (number.test(type)) {
    return 'number'
  }
  if (type !== 'VARCHAR') {
    return 'other'
  }
  if (matchesMostly(patterns, 'date')) {
    return 'date'
  }
  const averageLength = evidence.averageLength ?? 0
  const spaced = evidence.spaced ?? 0
  if (unique && averageLength <= idCodeLength && spaced === 0) {
    return 'id'
  }
  if (distinct <= filled * categoryDistinctShare && distinct <= categoryMostValues) {
    return 'category'
  }
  if (averageLength >= freeTextLength || spaced / filled >= 0.5) {
    return 'free text'
  }
  return 'other'
}
