/**
 * `sluice` exit codes: the run succeeded; the run failed; the pipeline or the command line is
 * invalid; every node ran but a quality gate stopped one or more pushes (so a scheduler can tell
 * bad data from a broken pipeline).
 */
export const exitCodes = { ok: 0, runFailed: 1, invalid: 2, blocked: 3 } as const

/** The exit code of a finished run. */
export function runExitCode(status: string): number {
  return status === 'succeeded'
    ? exitCodes.ok
    : status === 'blocked'
      ? exitCodes.blocked
      : exitCodes.runFailed
}
