import { createApp } from 'vue'
import { z } from 'zod'
import App from './App.vue'

// The CSP has no 'unsafe-eval', so zod's compiled fast path would only log a CSP violation and
// fall back anyway; use the interpreter from the start.
z.config({ jitless: true })

createApp(App).mount('#app')
