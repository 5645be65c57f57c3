/// <reference types="vite/client" />

declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<object, object, unknown>
  export default component
}

/**
 * What src-main/hosts/electron/preload.ts exposes: the DesktopBridge of src-shared/host.ts.
 * Undefined when the page runs outside Electron (the web host).
 */
interface Window {
  readonly sluice?: import('../../src-shared/host').DesktopBridge
}
