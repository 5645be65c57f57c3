import { SluiceFailure, sluiceError } from '../../../../src-shared/errors'
import type { ConnectionResolver } from './contract'

/**
 * What nodes that reach databases need from their host: connections with their secrets, the
 * stored watermarks of incremental sources, and whether pushes only report what they would do.
 * The service builds it from the project; a bare engine (tests, a pipeline file) has none.
 */
export interface DatabaseAccess {
  resolve: ConnectionResolver
  /** The high-water mark an incremental source stored after its last successful run. */
  watermark(nodeId: string): string | null
  /** Pushes work out their changes and make none; watermarks do not advance. */
  dryRun: boolean
}

/** For hosts without a project: any connection reference is unknown. */
export const noDatabaseAccess: DatabaseAccess = {
  resolve: (reference) =>
    Promise.reject(
      new SluiceFailure(sluiceError('CONNECTION_NOT_FOUND', { connection: reference })),
    ),
  watermark: () => null,
  dryRun: false,
}
