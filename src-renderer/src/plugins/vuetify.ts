import 'vuetify/styles'
import { createVuetify } from 'vuetify'
import * as components from 'vuetify/components'
import * as directives from 'vuetify/directives'
import { aliases, mdi } from 'vuetify/iconsets/mdi-svg'
import { en, zhHans } from 'vuetify/locale'

/**
 * Vuetify with every component registered (a desktop app loads its bundle once, from disk) and
 * SVG icons from @mdi/js, so no icon font needs a CSP exception. Themes: light and dark, each with
 * a `quality` colour for the check, validate and gate nodes.
 */
export const vuetify = createVuetify({
  components,
  directives,
  icons: { defaultSet: 'mdi', aliases, sets: { mdi } },
  locale: { locale: 'en', fallback: 'en', messages: { en, 'zh-CN': zhHans } },
  theme: {
    defaultTheme: 'light',
    themes: {
      light: {
        dark: false,
        colors: { primary: '#1565c0', secondary: '#00897b', quality: '#7b1fa2' },
      },
      dark: {
        dark: true,
        colors: { primary: '#64b5f6', secondary: '#4db6ac', quality: '#ce93d8' },
      },
    },
  },
  defaults: {
    VBtn: { variant: 'text' },
    VTextField: { density: 'compact', variant: 'outlined', hideDetails: 'auto' },
    VSelect: { density: 'compact', variant: 'outlined', hideDetails: 'auto' },
    VCombobox: { density: 'compact', variant: 'outlined', hideDetails: 'auto' },
    VTextarea: { density: 'compact', variant: 'outlined', hideDetails: 'auto' },
    VCheckbox: { density: 'compact', hideDetails: 'auto' },
  },
})
