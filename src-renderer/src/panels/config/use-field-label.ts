import { useI18n } from 'vue-i18n'
import { humanise } from './config-fields'

/** The label of a config field: its name in the user's language, else the key humanised. */
export function useFieldLabel(): (key: string) => string {
  const { t, te } = useI18n()
  return (key) => {
    const message = `config.fields.${key}`
    return te(message) ? t(message) : humanise(key)
  }
}
