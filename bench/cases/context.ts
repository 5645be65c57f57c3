/** What every case gets from the runner. */
export interface BenchContext {
  /** How many times each side of a case runs; the median counts. */
  reps: number
  /** The same for the 10M pipeline runs (d, e), which take minutes each. */
  reps10m: number
  /** `--skip-10m`: cases that measure at 10M measure at 1M instead (case j.1). */
  skip10m: boolean
  log(line: string): void
}

export const million = 1_000_000

/** `1M`, `10M`: how cases name their size. */
export function sizeLabel(rows: number): string {
  return `${rows / million}M`
}

/** Repetitions of a sample-pipeline run of this size. */
export function pipelineRepsFor(rows: number, context: BenchContext): number {
  return rows > million ? context.reps10m : context.reps
}
