import { describe, expect, it } from 'vitest'
import { inferSemanticType, type SemanticEvidence } from './profile-semantic'
import type { ValueSample } from './profile-values'

const noMatches: ValueSample = {
  sampled: 100,
  averageLength: 8,
  spaced: 0,
  email: 0,
  phone: 0,
  date: 0,
}

function text(overrides: Partial<SemanticEvidence>, sample: Partial<ValueSample> = {}) {
  return inferSemanticType({
    type: 'VARCHAR',
    filled: 100,
    distinct: 60,
    mostRepeated: 3,
    sample: { ...noMatches, ...sample },
    ...overrides,
  })
}

describe('inferring a semantic type', () => {
  it('needs 90% of the sample to match a pattern', () => {
    expect(text({}, { email: 90 })).toBe('email')
    expect(text({}, { email: 89 })).toBe('other')
    expect(text({}, { phone: 95 })).toBe('phone')
    expect(text({}, { date: 100 })).toBe('date')
  })

  it('calls unique whole numbers and unique short codes ids, but not unique decimals', () => {
    const unique = { distinct: 100, mostRepeated: 1 }
    expect(inferSemanticType({ type: 'BIGINT', filled: 100, ...unique })).toBe('id')
    expect(inferSemanticType({ type: 'INTEGER', filled: 100, distinct: 40, mostRepeated: 4 })).toBe(
      'number',
    )
    expect(inferSemanticType({ type: 'DECIMAL(10,2)', filled: 100, ...unique })).toBe('number')
    expect(text(unique)).toBe('id')
    // A value holding a space, or codes longer than 40 characters on average, is not an id.
    expect(text(unique, { spaced: 1 })).toBe('other')
    expect(text(unique, { averageLength: 41 })).toBe('free text')
  })

  it('calls text with at most 20% distinct values (and at most 1,000) a category', () => {
    expect(text({ distinct: 20 })).toBe('category')
    expect(text({ distinct: 21 })).toBe('other')
    expect(text({ filled: 1_000_000, distinct: 1000 })).toBe('category')
    expect(text({ filled: 1_000_000, distinct: 1001 })).toBe('other')
    expect(inferSemanticType({ type: 'BOOLEAN', filled: 5, distinct: 2, mostRepeated: 3 })).toBe(
      'category',
    )
  })

  it('calls long or mostly spaced text free text', () => {
    expect(text({}, { spaced: 50 })).toBe('free text')
    expect(text({}, { spaced: 49 })).toBe('other')
    expect(text({}, { averageLength: 40 })).toBe('free text')
  })

  it('calls dates and timestamps dates, and an all-NULL column other', () => {
    const dated = { filled: 10, distinct: 10, mostRepeated: 1 }
    expect(inferSemanticType({ type: 'DATE', ...dated })).toBe('date')
    expect(inferSemanticType({ type: 'TIMESTAMP WITH TIME ZONE', ...dated })).toBe('date')
    expect(text({ filled: 0, distinct: 0, mostRepeated: 0 }, { sampled: 0 })).toBe('other')
  })
})
