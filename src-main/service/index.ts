/** The service: the Sluice API (src-shared/api.ts) implemented on the store and the engine. */
export { createSluiceService, type SluiceService } from './service'
export type { ServiceOptions } from './service-context'
export type { SecretStore } from './secrets/secret-store'
export { createEnvironmentSecrets } from './secrets/environment-secrets'
