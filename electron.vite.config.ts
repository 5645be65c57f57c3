import { resolve } from 'node:path'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'electron-vite'

const root = import.meta.dirname

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      // Runtime dependencies stay in node_modules instead of the bundle: native addons
      // (@duckdb/node-api loads a platform .node binary) cannot be bundled, and
      // electron-builder unpacks them from the asar (see electron-builder.yml).
      externalizeDeps: true,
      rolldownOptions: {
        // Two entries: the main process (index.js) and the engine service's utility process
        // (service.js, forked by service-host.ts). Shared code lands in common chunks.
        input: {
          index: resolve(root, 'src-main/hosts/electron/main.ts'),
          service: resolve(root, 'src-main/hosts/electron/service-process.ts'),
        },
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
    plugins: [vue()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      rolldownOptions: {
        input: resolve(root, 'src-renderer/index.html'),
      },
    },
  },
})
