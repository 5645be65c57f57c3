/** Rows shown per kind of change in a dry run. */
export const sampleRows = 5
