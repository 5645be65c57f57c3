import { createI18n } from 'vue-i18n'
import { errorMessages, type SluiceError } from '../../../src-shared/errors'
import type { UiLanguage } from '../../../src-shared/project'
import { enMessages } from './en'
import { zhCnMessages } from './zh-CN'

/** The language the OS prefers, when the user has not chosen one. */
export function systemLanguage(): UiLanguage {
  return navigator.languages.some((language) => language.toLowerCase().startsWith('zh'))
    ? 'zh-CN'
    : 'en'
}

/**
 * vue-i18n in Composition mode. Messages are TypeScript objects (checked: zh-CN must have every
 * key en has), compiled at build time by nothing — the runtime compiler is not used because the
 * CSP forbids eval, so messages use only `{name}` interpolation, which the message resolver
 * handles without compiling.
 */
export const i18n = createI18n({
  legacy: false,
  locale: 'en',
  fallbackLocale: 'en',
  messages: { en: enMessages, 'zh-CN': zhCnMessages },
  missingWarn: false,
  fallbackWarn: false,
})

/** An error from the service in the user's language: its code's text filled with its params. */
export function translateError(error: SluiceError): string {
  const key = `errors.${error.code}`
  const { t, te } = i18n.global
  if (!te(key) || !(error.code in errorMessages)) {
    return error.message
  }
  return t(key, error.params ?? {})
}
