/** The SQL dialects Sluice writes identifiers for. */
export type Dialect = 'postgres' | 'mysql' | 'sqlite' | 'duckdb'

/** PostgreSQL silently truncates longer names (NAMEDATALEN - 1), so two could collide unseen. */
const postgresMaxBytes = 63
const mysqlMaxChars = 64

/**
 * Names are compared and sent in NFC, so a header typed on one system and one decomposed on
 * another (macOS file names) mean the same column.
 */
export function normalizeIdentifier(name: string): string {
  return name.normalize('NFC')
}

/** Why `name` cannot be an identifier in `dialect`, or null when it can. */
export function identifierProblem(dialect: Dialect, name: string): string | null {
  const normal = normalizeIdentifier(name)
  if (normal.length === 0) {
    return 'it is empty'
  }
  if (/\p{Cc}/u.test(normal)) {
    return 'it contains a control character (such as a line break, tab or NUL)'
  }
  if (dialect === 'postgres' && Buffer.byteLength(normal, 'utf8') > postgresMaxBytes) {
    return `PostgreSQL names are at most ${postgresMaxBytes} bytes and this one is ${Buffer.byteLength(normal, 'utf8')}`
  }
  if (dialect === 'mysql') {
    const chars = [...normal]
    if (chars.length > mysqlMaxChars) {
      return `MySQL names are at most ${mysqlMaxChars} characters and this one is ${chars.length}`
    }
    if (chars.some((char) => (char.codePointAt(0) ?? 0) > 0xffff)) {
      return 'MySQL names cannot contain characters outside the Basic Multilingual Plane (such as emoji)'
    }
    if (/ $/.test(normal)) {
      return 'MySQL names cannot end with a space'
    }
  }
  return null
}

/** Thrown for a name that cannot be used; callers turn it into `BAD_IDENTIFIER` for their node. */
export class IdentifierError extends Error {
  constructor(
    readonly identifier: string,
    readonly reason: string,
  ) {
    super(`"${identifier}" cannot be used: ${reason}`)
    this.name = 'IdentifierError'
  }
}

/**
 * The one way an identifier reaches SQL in `dialect`: checked, in NFC, and quoted with the
 * dialect's quote character doubled inside, so no name is ever executed as SQL.
 */
export function quoteIdentifier(dialect: Dialect, name: string): string {
  const problem = identifierProblem(dialect, name)
  if (problem) {
    throw new IdentifierError(name, problem)
  }
  const normal = normalizeIdentifier(name)
  return dialect === 'mysql'
    ? `\`${normal.replaceAll('`', '``')}\``
    : `"${normal.replaceAll('"', '""')}"`
}

/** `schema.table` quoted, or just the table when the schema is empty (the connection's default). */
export function quoteQualified(dialect: Dialect, schema: string, table: string): string {
  const quotedTable = quoteIdentifier(dialect, table)
  return schema === '' ? quotedTable : `${quoteIdentifier(dialect, schema)}.${quotedTable}`
}

/** Names that differ only in case or normalisation: columns a case-insensitive server merges. */
export function caseCollisions(names: readonly string[]): string[][] {
  const groups = new Map<string, string[]>()
  for (const name of names) {
    const folded = normalizeIdentifier(name).toLocaleLowerCase('en-US')
    groups.set(folded, [...(groups.get(folded) ?? []), name])
  }
  return [...groups.values()].filter((group) => group.length > 1)
}

/**
 * Checks a set of column names for a dialect: each must be usable, and no two may fold to the
 * same name. Returns one sentence per problem; empty when all are fine.
 */
export function columnNameProblems(dialect: Dialect, names: readonly string[]): string[] {
  const problems: string[] = []
  for (const name of names) {
    const problem = identifierProblem(dialect, name)
    if (problem) {
      problems.push(`column "${name}": ${problem}`)
    }
  }
  for (const group of caseCollisions(names)) {
    problems.push(
      `columns ${group.map((name) => `"${name}"`).join(' and ')} differ only in letter case`,
    )
  }
  return problems
}
