import type { ColumnProfile } from '../../../src-shared/api'
import type { ValueSample } from './profile-values'

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
  /** Distinct non-null values (exact: counted from the top-values GROUP BY). */
  distinct: number
  /** Rows of the most frequent non-null value: 1 means no value repeats (exact, from top values). */
  mostRepeated: number
  /** A sample of the values (lengths, spaces, pattern matches); absent when not sampled. */
  sample?: ValueSample
}

const wholeNumber = /^U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)$/
const number = /^(FLOAT|REAL|DOUBLE|DECIMAL\(\d+,\s*\d+\))$/

function matchesMostly(sample: ValueSample | undefined, kind: 'email' | 'phone' | 'date'): boolean {
  return sample !== undefined && sample.sampled > 0
    ? sample[kind] / sample.sampled >= patternShareNeeded
    : false
}

/**
 * Infers what a column holds from its type and figures, most specific first (lengths, spaces
 * and pattern matches come from a sample of up to 10,000 values):
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
  const { type, filled, distinct, mostRepeated, sample } = evidence
  if (filled === 0) {
    return 'other'
  }
  if (type === 'DATE' || type.startsWith('TIMESTAMP')) {
    return 'date'
  }
  if (type === 'BOOLEAN') {
    return 'category'
  }
  if (matchesMostly(sample, 'email')) {
    return 'email'
  }
  if (matchesMostly(sample, 'phone')) {
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
  if (matchesMostly(sample, 'date')) {
    return 'date'
  }
  const averageLength = sample?.averageLength ?? 0
  const spacedShare = sample && sample.sampled > 0 ? sample.spaced / sample.sampled : 0
  if (unique && averageLength <= idCodeLength && spacedShare === 0) {
    return 'id'
  }
  if (distinct <= filled * categoryDistinctShare && distinct <= categoryMostValues) {
    return 'category'
  }
  if (averageLength >= freeTextLength || spacedShare >= 0.5) {
    return 'free text'
  }
  return 'other'
}
