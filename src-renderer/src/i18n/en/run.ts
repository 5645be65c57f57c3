/** Strings of the run controls, the run log and the run history. */
export const run = {
  log: 'Run log',
  history: 'History',
  finishedNotice: 'The run {status} after {seconds} s.',
  status: {
    running: 'running',
    succeeded: 'succeeded',
    failed: 'failed',
    cancelled: 'was cancelled',
    interrupted: 'was interrupted',
  },
}
