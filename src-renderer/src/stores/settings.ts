import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { UiLanguage } from '../../../src-shared/project'
import { api } from '../host/current-host'
import { i18n, systemLanguage } from '../i18n'
import { vuetify } from '../plugins/vuetify'

export type UiTheme = 'light' | 'dark'

function systemTheme(): UiTheme {
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'
}

/** Language and theme: the user's choice from the app store, else the system's. */
export const useSettingsStore = defineStore('settings', () => {
  const language = ref<UiLanguage>(systemLanguage())
  const theme = ref<UiTheme>(systemTheme())

  const apply = (): void => {
    i18n.global.locale.value = language.value
    vuetify.locale.current.value = language.value
    vuetify.theme.change(theme.value)
    document.documentElement.lang = language.value
  }

  async function load(): Promise<void> {
    const saved = await api()['settings/get']({})
    language.value = saved.language ?? systemLanguage()
    theme.value = saved.theme ?? systemTheme()
    apply()
  }

  async function setLanguage(next: UiLanguage): Promise<void> {
    language.value = next
    apply()
    await api()['settings/update']({ language: next })
  }

  async function setTheme(next: UiTheme): Promise<void> {
    theme.value = next
    apply()
    await api()['settings/update']({ theme: next })
  }

  return { language, theme, load, setLanguage, setTheme }
})
