import { createPinia } from 'pinia'
import { createApp } from 'vue'
import { z } from 'zod'
import App from './App.vue'
import ConnectionFailed from './components/ConnectionFailed.vue'
import { connectToHost } from './host/connect'
import { setCurrentHost } from './host/current-host'
import { hostKey } from './host/host'
import { i18n } from './i18n'
import { vuetify } from './plugins/vuetify'
import { useFilePickerStore } from './stores/file-picker'
import { useSettingsStore } from './stores/settings'
import './styles.css'

// The CSP has no 'unsafe-eval', so zod's compiled fast path would only log a CSP violation and
// fall back anyway; use the interpreter from the start.
z.config({ jitless: true })

const pinia = createPinia()
const app = createApp(App).use(pinia).use(vuetify).use(i18n)
try {
  const host = await connectToHost(useFilePickerStore(pinia))
  setCurrentHost(host)
  app.provide(hostKey, host)
  await useSettingsStore(pinia).load()
  app.mount('#app')
} catch (thrown) {
  const reason = thrown instanceof Error ? thrown.message : String(thrown)
  createApp(ConnectionFailed, { reason }).use(vuetify).use(i18n).mount('#app')
}
