import type { Measurement } from './measure'

/** One line of the results: Sluice's figures, and the reference's when the case has one. */
export interface ResultRow {
  case: string
  sluice: { ms: number; wallMs?: number; rssBytes?: number }
  reference?: { name: string; ms: number; wallMs: number; rssBytes: number }
  /** `ratio` is Sluice ÷ reference (lower is better); `speed-up` is reference ÷ Sluice. */
  comparison?: 'ratio' | 'speed-up'
  target: string
  met: boolean
  /** Cores other processes kept busy during the measurement (the worse side). */
  otherLoad: number
}

/** Above this many cores of other work, a figure is flagged as measured on a busy machine. */
const busyThreshold = 0.25

/** What a case hands back: its result rows and the detail lines printed under them. */
export interface CaseOutcome {
  rows: ResultRow[]
  details: string[]
}

/** A row comparing two measured children. */
export function comparedRow(
  name: string,
  sluice: Measurement,
  reference: { name: string; run: Measurement },
  comparison: 'ratio' | 'speed-up',
  target: string,
  met: (value: number) => boolean,
): ResultRow {
  const { run } = reference
  const row: ResultRow = {
    case: name,
    sluice: { ms: sluice.work.ms, wallMs: sluice.wallMs, rssBytes: sluice.rssBytes },
    reference: {
      name: reference.name,
      ms: run.work.ms,
      wallMs: run.wallMs,
      rssBytes: run.rssBytes,
    },
    comparison,
    target,
    met: false,
    otherLoad: Math.max(sluice.otherLoad, run.otherLoad),
  }
  return { ...row, met: met(comparisonValue(row) ?? Number.NaN) }
}

/** Sluice ÷ reference, or its inverse for a speed-up. */
export function comparisonValue(row: ResultRow): number | undefined {
  if (!row.reference || !row.comparison) {
    return undefined
  }
  return row.comparison === 'ratio'
    ? row.sluice.ms / row.reference.ms
    : row.reference.ms / row.sluice.ms
}

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) {
    return '—' // a measurement that failed
  }
  if (ms < 10) {
    return `${ms.toFixed(2)} ms`
  }
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`
}

export function formatBytes(bytes: number): string {
  return bytes >= 10 * 1024 ** 3
    ? `${(bytes / 1024 ** 3).toFixed(1)} GB`
    : `${Math.round(bytes / 1024 ** 2)} MB`
}

function comparisonText(row: ResultRow): string {
  const value = comparisonValue(row)
  if (value === undefined) {
    return ''
  }
  return row.comparison === 'ratio' ? `ratio ${value.toFixed(2)}` : `speed-up ${value.toFixed(1)}×`
}

/** The one-line form printed as each case finishes. */
export function formatLine(row: ResultRow): string {
  const parts = [row.case.padEnd(34), `sluice ${formatMs(row.sluice.ms)}`]
  const { reference } = row
  if (reference) {
    parts.push(`${reference.name} ${formatMs(reference.ms)}`, comparisonText(row))
  }
  if (row.sluice.rssBytes !== undefined) {
    const rss = formatBytes(row.sluice.rssBytes)
    parts.push(reference ? `rss ${rss} / ${formatBytes(reference.rssBytes)}` : `rss ${rss}`)
  }
  if (row.sluice.wallMs !== undefined) {
    const wall = formatMs(row.sluice.wallMs)
    parts.push(reference ? `(wall ${wall} / ${formatMs(reference.wallMs)})` : `(wall ${wall})`)
  }
  parts.push(`target ${row.target} ${row.met ? '✓' : '✗ MISSED'}`)
  if (row.otherLoad >= busyThreshold) {
    parts.push(`⚠ other processes busy on ${row.otherLoad.toFixed(1)} cores meanwhile`)
  }
  return parts.join('  ')
}

/** The Markdown table of every row, for the closing note and `bench/data/results.md`. */
export function formatTable(rows: readonly ResultRow[]): string {
  const header =
    '| case | Sluice | reference | ratio | peak RSS Sluice / ref. | child wall Sluice / ref. | target | met | other load |'
  const lines = [header, '| --- | ---: | ---: | ---: | ---: | ---: | --- | :---: | ---: |']
  for (const row of rows) {
    const { reference, sluice } = row
    const rss =
      sluice.rssBytes === undefined
        ? ''
        : [sluice.rssBytes, reference?.rssBytes]
            .filter((b) => b !== undefined)
            .map(formatBytes)
            .join(' / ')
    const wall =
      sluice.wallMs === undefined
        ? ''
        : [sluice.wallMs, reference?.wallMs]
            .filter((ms) => ms !== undefined)
            .map(formatMs)
            .join(' / ')
    const cells = [
      row.case,
      formatMs(sluice.ms),
      reference ? `${reference.name} ${formatMs(reference.ms)}` : '—',
      comparisonText(row) || '—',
      rss || '—',
      wall || '—',
      row.target,
      row.met ? '✓' : '✗',
      `${row.otherLoad.toFixed(1)}${row.otherLoad >= busyThreshold ? ' ⚠' : ''}`,
    ]
    lines.push(`| ${cells.join(' | ')} |`)
  }
  return lines.join('\n')
}

/** A measured child's steps as indented detail lines, e.g. a pipeline's per-node times. */
export function stepLines(title: string, run: Measurement): string[] {
  const steps = run.work.steps.map((step) => `${step.name} ${formatMs(step.ms)}`)
  return [`  ${title}: ${steps.join(', ')}`]
}

/** Every repetition's work time, so a reader can see the spread behind a median. */
export function spreadLine(sides: ReadonlyArray<[string, readonly Measurement[]]>): string {
  const time = (run: Measurement): string =>
    run.otherLoad >= busyThreshold
      ? `${formatMs(run.work.ms)} (other load ${run.otherLoad.toFixed(1)})`
      : formatMs(run.work.ms)
  const parts = sides.map(([name, runs]) => `${name} ${runs.map(time).join(', ')}`)
  return `  runs: ${parts.join('; ')}`
}
