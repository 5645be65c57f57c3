import type { ApiHandlers } from '../../../src-shared/api'
import type { ServiceContext } from '../service-context'

type QualityHandlers = Pick<
  ApiHandlers,
  'quality/trend' | 'quality/export-rules' | 'quality/import-rules'
>

/** Score trends and rule YAML for check, validate and gate nodes. */
export function qualityHandlers(context: ServiceContext): QualityHandlers {
  const notYet = (): never => {
    void context
    throw new Error('not built yet')
  }
  return {
    'quality/trend': () => Promise.resolve(notYet()),
    'quality/export-rules': () => Promise.resolve(notYet()),
    'quality/import-rules': () => Promise.resolve(notYet()),
  }
}
