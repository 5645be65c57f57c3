/// <reference types="vite/client" />

declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<object, object, unknown>
  export default component
}

/**
 * What src-main/hosts/electron/preload.ts exposes. Undefined when the page runs outside Electron
 * (the web host); the typed API contract in src-shared replaces this in a later issue.
 */
interface Window {
  readonly sluice?: {
    readonly version: string
    readonly platform: string
  }
}
