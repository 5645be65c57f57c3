import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { RunResult } from '../../../../src-shared/run'
import { chain, createSandbox, type EngineSandbox } from '../../test-support'

// External CSV test data (TESTING.md, "External test data") through the real `source.csv` node:
// every csv-spectrum case, and the papaparse parser tests that mean the same for a file reader.

let sandbox: EngineSandbox
beforeEach(async () => {
  sandbox = await createSandbox()
})
afterEach(() => sandbox.close())

const packageDir = (name: string): string =>
  dirname(createRequire(import.meta.url).resolve(`${name}/package.json`))

/** Null tokens meaning "none", as a user clears the list: empty fields stay empty strings. */
const noNullTokens: string[] = []

interface CsvSettings {
  header: boolean
  delimiter?: string
  quote?: string
  escape?: string
  skipRows?: number
  nullTokens?: string[]
}

/** Writes `content` to a file and runs a pipeline of one CSV source reading every column as text. */
async function readCsv(
  fileName: string,
  content: string | Buffer,
  settings: CsvSettings,
): Promise<{ path: string; result: RunResult; document: ReturnType<typeof chain> }> {
  const path = sandbox.write(fileName, content)
  const config = { path, allText: true, nullTokens: noNullTokens, ...settings }
  const document = chain({ id: 'src', kind: 'source.csv', config })
  const { result } = await sandbox.run(document)
  return { path, result, document }
}

/** Asserts a run that read every line: no errors, no rejects, no warnings, `rows` rows out. */
function expectCleanRead(result: RunResult, rows: number): void {
  expect(result.errors).toEqual([])
  expect(result.status).toBe('succeeded')
  expect(result.nodes[0]).toMatchObject({ rowsOut: rows, rowsRejected: 0, warnings: [] })
}

const stagedRows = (): Promise<Array<Record<string, unknown>>> =>
  sandbox.rows('SELECT * FROM "src__out"')

/** The staged rows as arrays of cells in column order, for files read without a header. */
async function stagedCells(): Promise<unknown[][]> {
  const columns = await sandbox.rows('SELECT column_name FROM (DESCRIBE "src__out")')
  const names = columns.map((column) => String(column.column_name))
  return (await stagedRows()).map((row) => names.map((name) => row[name]))
}

describe('csv-spectrum through the CSV source', () => {
  const spectrumDir = packageDir('csv-spectrum')
  const spectrumCases = readdirSync(join(spectrumDir, 'csvs'))
    .filter((file) => file.endsWith('.csv'))
    .map((file) => file.slice(0, -'.csv'.length))
    .sort()
  const spectrumFile = (name: string): Buffer =>
    readFileSync(join(spectrumDir, 'csvs', `${name}.csv`))
  const spectrumExpectation = (name: string): unknown =>
    JSON.parse(readFileSync(join(spectrumDir, 'json', `${name}.json`), 'utf8'))

  /**
   * What location_coordinates.csv really holds. Its upstream JSON is wrong in two ways: it is a
   * bare object where every other case has an array of rows, and it gives the phone number as
   * 1234567890 while the CSV says 2095257564. The degree signs are U+FFFD replacement characters
   * in both files (the original character was lost upstream), so those agree.
   */
  const locationCoordinates = [
    {
      'Contact Phone Number': '2095257564',
      'Location Coordinates': `37\uFFFD36'37.8"N 121\uFFFD2'17.9"W`,
      Cities: 'Modesto',
      Counties: 'Stanislaus',
    },
  ]

  it('has the cases this file treats specially', () => {
    expect(spectrumCases).toEqual(
      expect.arrayContaining(['empty', 'empty_crlf', 'location_coordinates']),
    )
  })

  // empty.csv and empty_crlf.csv are not header-only: after the header `a,b,c` they hold the rows
  // `1,"",""` and `2,3,4`, so Sluice must return both rows, with empty strings, like the JSON says.
  it.each(spectrumCases)('%s', async (name) => {
    const expected =
      name === 'location_coordinates' ? locationCoordinates : spectrumExpectation(name)
    expect(Array.isArray(expected)).toBe(true)
    const { result } = await readCsv(`${name}.csv`, spectrumFile(name), { header: true })
    expectCleanRead(result, (expected as unknown[]).length)
    expect(await stagedRows()).toEqual(expected)
  })

  it('location_coordinates: the upstream expectation differs from the file as described', () => {
    expect(spectrumFile('location_coordinates').toString('utf8')).toContain('\n2095257564,')
    expect(spectrumExpectation('location_coordinates')).toEqual({
      ...locationCoordinates[0],
      'Contact Phone Number': '1234567890',
    })
  })

  it('fails with FILE_HEADER_ONLY, naming the file, when only the header of empty.csv is left', async () => {
    const header = spectrumFile('empty').toString('utf8').split('\n')[0]
    expect(header).toBe('a,b,c')
    const { path, result } = await readCsv('header-only.csv', `${header}\n`, { header: true })
    expect(result.status).toBe('failed')
    expect(result.errors).toEqual([
      expect.objectContaining({
        code: 'FILE_HEADER_ONLY',
        nodeId: 'src',
        message: expect.stringContaining(path),
      }),
    ])
  })

  // DuckDB refuses `nullstr = []`; Sluice stands in a token that never occurs (source-csv.ts).
  it('keeps empty strings when the null-token list is cleared', async () => {
    const { result } = await readCsv('empty.csv', spectrumFile('empty'), {
      header: true,
      nullTokens: [],
    })
    expectCleanRead(result, 2)
    expect(await stagedRows()).toEqual(spectrumExpectation('empty'))
  })
})

interface PapaCase {
  description: string
  input: string
  config?: Record<string, unknown>
  expected: { data: unknown[]; errors: Array<{ type?: unknown }> }
}

interface PapaSuite {
  name: 'core' | 'parse'
  array: string
  /** `new Papa.Parser` (core) splits on commas unless told; `Papa.parse` guesses, as Sluice does. */
  delimiter: string
}

const papaSuites: PapaSuite[] = [
  { name: 'core', array: 'CORE_PARSER_TESTS', delimiter: ',' },
  { name: 'parse', array: 'PARSE_TESTS', delimiter: '' },
]

function isPapaCase(value: unknown): value is PapaCase {
  const item = value as Partial<PapaCase> | null
  return (
    typeof item?.description === 'string' &&
    typeof item.input === 'string' &&
    Array.isArray(item.expected?.data) &&
    Array.isArray(item.expected.errors)
  )
}

/** Evaluates one top-level `var NAME = [...]` of test-cases.js, a mocha script that cannot be imported. */
function readPapaCases(source: string, array: string): PapaCase[] {
  const opening = `var ${array} = [`
  const start = source.indexOf(opening)
  const end = source.indexOf('\n];', start)
  if (start === -1 || end === -1) {
    throw new Error(`papaparse's test-cases.js no longer has ${array}`)
  }
  const literal = source.slice(start + opening.length - 1, end + '\n]'.length)
  // The file defines these two separators before its arrays, and some cases use them.
  const evaluate = new Function('RECORD_SEP', 'UNIT_SEP', `return ${literal}`) as (
    recordSeparator: string,
    unitSeparator: string,
  ) => unknown
  const cases = evaluate(String.fromCharCode(30), String.fromCharCode(31))
  if (!Array.isArray(cases) || !cases.every(isPapaCase)) {
    throw new Error(`${array} in papaparse's test-cases.js has cases of an unknown shape`)
  }
  return cases
}

/** papaparse options that mean the same in Sluice (see `csvSettingsFor`); fastMode is a speed hint. */
const mappedOptions = new Set([
  'delimiter',
  'quoteChar',
  'escapeChar',
  'header',
  'skipFirstNLines',
  'fastMode',
])
/** papaparse options with no Sluice equivalent; line endings are always detected by Sluice. */
const papaparseOnlyOptions = new Set([
  'comments',
  'step',
  'preview',
  'dynamicTyping',
  'transform',
  'transformHeader',
  'newline',
  'skipEmptyLines',
])

const optionsOf = (papaCase: PapaCase): Record<string, unknown> => papaCase.config ?? {}

const isBlankLineRow = (row: unknown): boolean =>
  Array.isArray(row) && row.length === 1 && row[0] === ''

/**
 * The one documented difference normalised here: DuckDB skips blank lines (as pandas'
 * `skip_blank_lines` does), while papaparse returns each one, including the "line" after a final
 * line break, as a row of one empty field `['']`. Drops such rows from the expectation, never more
 * of them than the input has empty lines.
 */
function withoutBlankLines(papaCase: PapaCase): unknown[] {
  let blankLines = papaCase.input.split(/\r\n|\n|\r/).filter((line) => line === '').length
  return papaCase.expected.data.filter((row) => {
    const dropped = isBlankLineRow(row) && blankLines > 0
    blankLines -= dropped ? 1 : 0
    return !dropped
  })
}

function isRagged(rows: unknown[]): boolean {
  const widths = new Set(rows.map((row) => (Array.isArray(row) ? row.length : -1)))
  return widths.size > 1
}

/** Why a case is left out, checked in order; a case no rule matches is run. */
const exclusions: Array<{
  reason: string
  applies: (papaCase: PapaCase, suite: PapaSuite) => boolean
}> = [
  {
    reason:
      'uses a papaparse-only option (comments, step, preview, dynamicTyping, transform, newline, skipEmptyLines)',
    applies: (papaCase) =>
      Object.keys(optionsOf(papaCase)).some((option) => papaparseOnlyOptions.has(option)),
  },
  {
    reason: "malformed quotes: the expected errors are papaparse's own Quotes error objects",
    applies: (papaCase) => papaCase.expected.errors.some((error) => error.type === 'Quotes'),
  },
  {
    reason:
      'ragged rows: a table has one width; how Sluice treats ragged lines is tested in source-csv.test.ts',
    applies: (papaCase) =>
      papaCase.expected.errors.some((error) => error.type === 'FieldMismatch') ||
      isRagged(withoutBlankLines(papaCase)),
  },
  {
    reason:
      "papaparse's delimiter fallbacks: a callback, or a line break it silently swaps for a comma",
    applies: (papaCase) => {
      const delimiter = optionsOf(papaCase).delimiter
      return typeof delimiter === 'function' || delimiter === '\n' || delimiter === '\r'
    },
  },
  {
    reason:
      "Papa.Parser's own scheme for renaming duplicate headers; Sluice's (DuckDB's) is tested in source-csv.test.ts",
    applies: (papaCase, suite) => suite.name === 'core' && optionsOf(papaCase).header === true,
  },
  {
    reason: 'a negative skipFirstNLines, which papaparse ignores and Sluice does not accept',
    applies: (papaCase) => Number(optionsOf(papaCase).skipFirstNLines) < 0,
  },
]

/** The CSV source settings that mean what the case's papaparse config means. */
function csvSettingsFor(papaCase: PapaCase, suite: PapaSuite): CsvSettings {
  const options = optionsOf(papaCase)
  const settings: CsvSettings = { header: options.header === true }
  const delimiter = typeof options.delimiter === 'string' ? options.delimiter : suite.delimiter
  if (delimiter !== '') {
    settings.delimiter = delimiter
  }
  if (typeof options.quoteChar === 'string') {
    settings.quote = options.quoteChar
  }
  if (typeof options.escapeChar === 'string') {
    settings.escape = options.escapeChar
  }
  if (typeof options.skipFirstNLines === 'number') {
    settings.skipRows = options.skipFirstNLines
  }
  return settings
}

/**
 * Selected cases where Sluice does not return papaparse's rows, with what Sluice does instead.
 * They run as `it.fails`, so a fix turns the test red until its entry is removed.
 */
const knownFailures = new Map([
  [
    'core: Quoted field with whitespace around quotes',
    'DuckDB trims the spaces around a quoted value: `A, "B" ,C` gives `B`, not ` "B" `',
  ],
  [
    'parse: Custom escape character not used for escaping',
    'with escape `\\`, DuckDB drops an escape before any character: `"c\\d"` gives `cd`',
  ],
])

interface SelectedCase {
  name: string
  papaCase: PapaCase
  settings: CsvSettings
  /** The expected rows after `withoutBlankLines`. */
  rows: unknown[]
}

function selectPapaCases(): { selected: SelectedCase[]; excluded: Map<string, string> } {
  const source = readFileSync(join(packageDir('papaparse'), 'tests', 'test-cases.js'), 'utf8')
  const selected: SelectedCase[] = []
  const excluded = new Map<string, string>()
  const seen = new Map<string, number>()
  for (const suite of papaSuites) {
    for (const papaCase of readPapaCases(source, suite.array)) {
      const base = `${suite.name}: ${papaCase.description}`
      const count = (seen.get(base) ?? 0) + 1
      seen.set(base, count)
      const name = count === 1 ? base : `${base} (${count})`
      const unknown = Object.keys(optionsOf(papaCase)).filter(
        (option) => !mappedOptions.has(option) && !papaparseOnlyOptions.has(option),
      )
      if (unknown.length > 0) {
        throw new Error(`${name}: classify papaparse option(s) ${unknown.join(', ')}`)
      }
      const exclusion = exclusions.find((rule) => rule.applies(papaCase, suite))
      if (exclusion) {
        excluded.set(name, exclusion.reason)
      } else {
        const settings = csvSettingsFor(papaCase, suite)
        selected.push({ name, papaCase, settings, rows: withoutBlankLines(papaCase) })
      }
    }
  }
  return { selected, excluded }
}

describe("papaparse's parser tests through the CSV source", () => {
  const { selected, excluded } = selectPapaCases()
  const withRows = selected.filter((item) => item.rows.length > 0)
  const expectingRows = withRows.filter((item) => !knownFailures.has(item.name))
  const failing = withRows.filter((item) => knownFailures.has(item.name))
  const withoutRows = selected.filter((item) => item.rows.length === 0)

  async function expectRows({ papaCase, settings, rows }: SelectedCase): Promise<void> {
    const { result } = await readCsv('case.csv', papaCase.input, settings)
    expectCleanRead(result, rows.length)
    expect(settings.header ? await stagedRows() : await stagedCells()).toEqual(rows)
  }

  it('selects enough cases, uses every exclusion rule, and lists only selected known failures', () => {
    expect(expectingRows.length).toBeGreaterThanOrEqual(25)
    expect(new Set(excluded.values())).toEqual(new Set(exclusions.map((rule) => rule.reason)))
    expect(failing.map((item) => item.name).sort()).toEqual([...knownFailures.keys()].sort())
  })

  const byName = (items: SelectedCase[]): Array<[string, SelectedCase]> =>
    items.map((item) => [item.name, item])

  it.each(byName(expectingRows))('%s', (_name, item) => expectRows(item))

  it.fails.each(failing.map((item) => [item.name, knownFailures.get(item.name), item] as const))(
    '%s (known failure: %s)',
    (_name, _failure, item) => expectRows(item),
  )

  // papaparse returns no rows; Sluice refuses such a file by design rather than stage an empty table.
  it.each(byName(withoutRows))('%s: refused as empty or header-only', async (_name, item) => {
    const { papaCase, settings } = item
    const { path, result } = await readCsv('case.csv', papaCase.input, settings)
    expect(result.status).toBe('failed')
    expect(result.errors).toEqual([
      expect.objectContaining({
        code: papaCase.input === '' ? 'FILE_EMPTY' : 'FILE_HEADER_ONLY',
        message: expect.stringContaining(path),
      }),
    ])
  })

  // Found through papaparse's "Duplicate header names with __proto__ field" (left out above for
  // its renaming scheme): a row object must hold `__proto__` as a field, not as its prototype.
  it('previews the values of a column named __proto__', async () => {
    const { document } = await readCsv('proto.csv', 'id,__proto__\n1,2\n', { header: true })
    const preview = await sandbox.preview(document, 'src')
    expect(preview.columns.map((column) => column.name)).toEqual(['id', '__proto__'])
    expect(preview.rows.map((row) => Object.entries(row))).toEqual([
      [
        ['id', '1'],
        ['__proto__', '2'],
      ],
    ])
  })
})
