import { useI18n } from 'vue-i18n'
import { findNodeKind } from '../../../src-shared/nodes'

/** A node kind's title in the user's language, falling back to the catalogue's English title. */
export function useKindTitle(): (kind: string) => string {
  const { t, te } = useI18n()
  return (kind) => {
    const key = `nodes.${kind.replaceAll('.', '_')}.title`
    return te(key) ? t(key) : (findNodeKind(kind)?.title ?? kind)
  }
}
