import { resolve } from 'node:path'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'electron-vite'
import type { Plugin } from 'vite'

const root = import.meta.dirname

/**
 * The dev server injects component styles as `<style>` tags, which the strict production CSP in
 * index.html forbids; relax only `style-src`, and only under `electron-vite dev`.
 */
function relaxCspForDevServer(): Plugin {
  return {
    name: 'sluice:relax-csp-for-dev-server',
    apply: 'serve',
    transformIndexHtml: (html) =>
      html.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"),
  }
}

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      // Runtime dependencies stay in node_modules instead of the bundle: native addons
      // (@duckdb/node-api loads a platform .node binary) cannot be bundled, and
      // electron-builder unpacks them from the asar (see electron-builder.yml).
      externalizeDeps: true,
      rolldownOptions: {
        input: { index: resolve(root, 'src-main/hosts/electron/main.ts') },
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      // A sandboxed preload cannot load ES modules nor require anything but 'electron', so it is
      // one self-contained CommonJS file (.cjs, because package.json says "type": "module").
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(root, 'src-main/hosts/electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src-renderer'),
    plugins: [vue(), relaxCspForDevServer()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      rolldownOptions: {
        input: resolve(root, 'src-renderer/index.html'),
      },
    },
  },
})
