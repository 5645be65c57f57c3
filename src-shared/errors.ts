/**
 * Every error that crosses a boundary (engine → service → UI/CLI) is a `SluiceError`: data, not an
 * exception. Codes live in this one table with the sentence a user reads; `detail` carries what a
 * developer needs and goes to the run log only.
 */
export const errorMessages = {
  PIPELINE_INVALID: 'The pipeline is not valid; nothing was run.',
  FORMAT_TOO_NEW:
    'This pipeline was saved by a newer Sluice (format {found}); update Sluice to open it.',
  FORMAT_UNKNOWN: 'This file is not a Sluice pipeline: {reason}.',
  DUPLICATE_ID: 'Two nodes share the id "{id}"; give each node its own id.',
  UNKNOWN_KIND: 'Node "{node}" has an unknown kind "{kind}".',
  BAD_CONFIG: 'Node "{node}", field "{field}": {reason}.',
  UNKNOWN_NODE: 'An edge refers to node "{node}", which is not in the pipeline.',
  UNKNOWN_PORT: 'Node "{node}" has no {direction} port "{port}".',
  INPUT_CONNECTED_TWICE: 'Input "{port}" of node "{node}" has {count} edges; an input takes one.',
  INPUT_NOT_CONNECTED: 'Input "{port}" of node "{node}" is required but not connected.',
  CYCLE: 'Nodes {nodes} form a cycle; a pipeline must flow one way.',
  UNKNOWN_PARAMETER:
    'Node "{node}", field "{field}" uses parameter "{param}", which is not defined.',
  FILE_NOT_FOUND: 'File not found: {file}.',
  FILE_UNREADABLE: 'Cannot read {file}: {reason}.',
  FILE_EMPTY: '{file} is empty.',
  FILE_HEADER_ONLY: '{file} has a header but no data rows.',
  FILE_ZERO_ROWS:
    '{file} has {lines} data lines but none could be read; check the delimiter, quote and encoding settings.',
  FILE_UNDECODABLE: '{file} is not valid {encoding} ({where}); choose its encoding.',
  NO_FILES_MATCHED: 'No files match {pattern}.',
  SQL_ERROR: 'Node "{node}" failed: {reason}',
  WRITE_FAILED: 'Node "{node}" could not write {file}: {reason}',
  UPSTREAM_FAILED: 'Node "{node}" did not run because "{upstream}" failed.',
  QUALITY_FAILED: 'Node "{node}": quality rules failed: {rules}.',
  QUALITY_BLOCKED: 'Push "{node}" did not run: {gate} stopped it ({reason}).',
  CANCELLED: 'The run was cancelled.',
  PROJECT_NOT_FOUND: 'Project file not found: {file}.',
  PROJECT_EXISTS: '{file} already exists; choose another file name, or open it instead.',
  PROJECT_NOT_SLUICE: '{file} is not a Sluice project ({reason}).',
  PROJECT_TOO_NEW:
    '{file} was saved by a newer Sluice (project format {found}; this Sluice reads up to {supported}); update Sluice to open it.',
  PROJECT_DAMAGED:
    '{file} is damaged ({reason}). Open a backup of it, or run "sqlite3 {file} .recover" on a copy to save what is left.',
  PROJECT_BUSY: '{file} is busy in another Sluice process; try again in a moment.',
  PROJECT_WRITE_FAILED: 'Could not save to {file}: {reason}',
  NO_PROJECT_OPEN: 'No project is open; open or create a project first.',
  PIPELINE_NOT_FOUND: 'This project has no pipeline "{pipeline}".',
  VERSION_NOT_FOUND: 'Pipeline "{pipeline}" has no version {version}.',
  CONNECTION_NOT_FOUND: 'This project has no connection "{connection}".',
  SCHEDULE_NOT_FOUND: 'This project has no schedule "{schedule}".',
  PARAMETER_NOT_FOUND: 'This project has no parameter "{parameter}".',
  RUN_NOT_FOUND: 'This project has no run "{run}".',
  NAME_TAKEN: 'A {what} named "{name}" already exists in this project; choose another name.',
  NODE_NOT_FOUND: 'Pipeline "{pipeline}" has no node "{node}".',
  STAGING_BUSY:
    'The staging database {file} is in use by another Sluice process; wait for its run to finish or close the project there.',
  RUN_IN_PROGRESS:
    'Pipeline "{pipeline}" is already running (run {run}); wait for it or cancel it.',
  IMPORT_INVALID: '{file} cannot be imported: {reason}.',
  SERVICE_UNREACHABLE: 'Sluice lost its connection to the engine ({reason}); reload the window.',
  PATH_NOT_ALLOWED: '{path} is outside the folders that can be browsed here: {roots}.',
  BAD_REQUEST: 'Request {method} is not valid: {reason}.',
  UNKNOWN_METHOD: 'Unknown request "{method}".',
  SECRET_MISSING: 'Connection "{connection}" needs a secret, and none is set: {hint}.',
  SECRET_STORE_READ_ONLY:
    'Secrets cannot be saved from here; set the environment variable {variable} before starting Sluice.',
  SECRET_STORE_INSECURE:
    'Sluice will not save passwords on this system: {reason}. Unlock a keyring (GNOME Keyring or KWallet), or set SLUICE_SECRET_<NAME> environment variables.',
  CONNECTION_HOST_NOT_FOUND:
    'Cannot find the server "{host}": the name does not resolve. Check the host name and your network.',
  CONNECTION_REFUSED:
    'Nothing accepts connections at {host}:{port}. Check the host and port, and that the server is running.',
  CONNECTION_AUTH_FAILED:
    'The server refused user "{user}": the user name or password is wrong, or the user may not connect from here.',
  CONNECTION_TLS_REQUIRED:
    'The server {host} accepts only encrypted connections; set SSL mode to "require" or stricter.',
  CONNECTION_TLS_FAILED:
    'The encrypted connection to {host} failed: {reason}. Check the SSL mode and the CA file.',
  CONNECTION_DATABASE_MISSING: 'The server {host} has no database "{database}".',
  CONNECTION_TIMEOUT: 'The server {host}:{port} did not answer within {seconds} seconds.',
  CONNECTION_FAILED: 'Cannot connect to "{connection}": {reason}',
  CONNECTION_KIND_MISMATCH: 'Node "{node}" cannot use connection "{connection}": {reason}.',
  SOURCE_READ_FAILED: 'Node "{node}" could not read {source}: {reason}',
  PUSH_FAILED: 'Node "{node}" could not write table {table}: {reason}',
  PUSH_SCHEMA_MISMATCH:
    'Node "{node}": the input does not fit table {table}. {differences}. Nothing was written.',
  BAD_IDENTIFIER: 'Node "{node}": the {what} name "{name}" cannot be used: {reason}.',
  EXCEL_OLD_FORMAT:
    '{file} is an old binary Excel workbook (.xls); open it in Excel and save it as .xlsx (Excel Workbook).',
  EXCEL_BINARY_FORMAT:
    '{file} is a binary Excel workbook (.xlsb); open it in Excel and save it as .xlsx (Excel Workbook).',
  EXCEL_ENCRYPTED:
    '{file} is password-protected; open it in Excel, remove the password (File > Info > Protect Workbook) and save it as .xlsx.',
  EXCEL_NOT_WORKBOOK:
    '{file} is not an Excel workbook ({reason}); if it holds delimited text, read it with the CSV source.',
  EXCEL_CORRUPT:
    '{file} is damaged or incomplete ({reason}); open it in Excel and save it again, or get a fresh copy.',
  EXCEL_SHEET_NOT_FOUND: '{file} has no sheet {sheet}; its sheets are {sheets}.',
  EXCEL_NO_DATA: '{file}, sheet "{sheet}": {reason}.',
  INTERNAL: 'Sluice hit an internal error: {reason}',
} as const

export type ErrorCode = keyof typeof errorMessages

/** A failure as data, the only shape errors take across process boundaries. */
export interface SluiceError {
  code: ErrorCode
  message: string
  /** The values in the message, so a UI can render the code's text in the user's language. */
  params?: Record<string, string | number>
  nodeId?: string
  field?: string
  detail?: string
}

/** Builds a `SluiceError`, filling `{name}` placeholders of the code's message from `params`. */
export function sluiceError(
  code: ErrorCode,
  params: Record<string, string | number> = {},
  where: { nodeId?: string; field?: string; detail?: string } = {},
): SluiceError {
  const message = errorMessages[code].replace(/\{(\w+)\}/g, (whole, key: string) =>
    key in params ? String(params[key]) : whole,
  )
  return { code, message, ...(Object.keys(params).length > 0 ? { params } : {}), ...where }
}

/** An exception that carries a `SluiceError`, for code paths where throwing is the natural flow. */
export class SluiceFailure extends Error {
  constructor(readonly error: SluiceError) {
    super(error.message)
    this.name = 'SluiceFailure'
  }
}

/** Turns anything thrown into a `SluiceError`, keeping a known one as it is. */
export function toSluiceError(thrown: unknown, nodeId?: string): SluiceError {
  if (thrown instanceof SluiceFailure) {
    return thrown.error
  }
  const reason = thrown instanceof Error ? thrown.message : String(thrown)
  if (nodeId) {
    return sluiceError(
      'SQL_ERROR',
      { node: nodeId, reason: cleanEngineMessage(reason) },
      { nodeId, detail: reason },
    )
  }
  return sluiceError('INTERNAL', { reason }, { detail: reason })
}

/**
 * The sentence of an engine error: DuckDB prefixes messages with its error class ("Binder Error:
 * ...") and may add context lines; users need the first sentence, the log keeps the rest.
 */
export function engineSentence(thrown: unknown): string {
  return cleanEngineMessage(thrown instanceof Error ? thrown.message : String(thrown))
}

function cleanEngineMessage(reason: string): string {
  return reason.replace(/^[A-Za-z ]+ Error: /, '').split('\n')[0] ?? reason
}
