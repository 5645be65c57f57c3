import { builtinModules } from 'node:module'
import js from '@eslint/js'
import prettier from 'eslint-config-prettier'
import { defineConfig, globalIgnores } from 'eslint/config'
import vue from 'eslint-plugin-vue'
import globals from 'globals'
import tseslint from 'typescript-eslint'

// Every file ESLint understands here; a layer's rules apply to all of them.
const code = '{js,mjs,cjs,ts,mts,cts,vue}'

const escapeRegex = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

// Import sources a layer may not use (DESIGN.md section 2). Each is a `no-restricted-imports`
// pattern; relative paths are caught by folder name wherever they appear in the path.
const nodeBuiltins = {
  regex: `^(node:.*|(${builtinModules.map(escapeRegex).join('|')})(/.*)?)$`,
  message: 'Node built-ins belong in src-main; this layer must also run in a browser.',
}
const electron = {
  regex: '^electron(/.*)?$',
  message: 'Only src-main/hosts/electron may import electron; the engine also runs in the CLI.',
}
const srcMain = {
  regex: '(^|/)src-main(/|$)',
  message: 'src-main is reached through the API contract in src-shared, never imported.',
}
const srcRenderer = {
  regex: '(^|/)src-renderer(/|$)',
  message: 'src-main and src-shared never import the renderer.',
}
const restrictImports = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] })

const nodeGlobals = ['process', 'Buffer', 'require', '__dirname', '__filename', 'global']
const domGlobals = [
  'window',
  'document',
  'navigator',
  'localStorage',
  'sessionStorage',
  'HTMLElement',
]
const restrictGlobals = (names, message) => ({
  'no-restricted-globals': ['error', ...names.map((name) => ({ name, message }))],
})

export default defineConfig([
  globalIgnores([
    'out/**',
    'dist/**',
    'release/**',
    'node_modules/**',
    'demo-output/**',
    'bench/data/**',
    'scratch/**',
    'coverage/**',
    'e2e/screenshots/**',
    '.sluice/**',
  ]),

  js.configs.recommended,
  tseslint.configs.recommended,
  vue.configs['flat/recommended'],

  {
    files: ['**/*.{js,mjs,cjs,ts,mts,cts}'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['**/*.vue'],
    languageOptions: {
      globals: globals.browser,
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] },
    },
    rules: {
      // TypeScript already checks names; no-undef does not understand type-only references.
      'no-undef': 'off',
      'vue/block-lang': ['error', { script: { lang: 'ts' } }],
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },

  // Layers. Later blocks replace earlier ones' options for the same rule, so each block lists
  // every restriction that applies to its files.
  {
    files: [`src-shared/**/*.${code}`],
    rules: {
      ...restrictImports(nodeBuiltins, electron, srcMain, srcRenderer),
      ...restrictGlobals(
        [...domGlobals, ...nodeGlobals],
        'src-shared is pure TypeScript: it runs in the engine, the CLI and the browser alike.',
      ),
    },
  },
  {
    files: [`src-main/**/*.${code}`],
    ignores: ['src-main/hosts/electron/**'],
    rules: restrictImports(electron, srcRenderer),
  },
  {
    files: [`src-main/hosts/electron/**/*.${code}`],
    rules: restrictImports(srcRenderer),
  },
  {
    files: [`src-renderer/**/*.${code}`],
    languageOptions: { globals: globals.browser },
    rules: {
      ...restrictImports(nodeBuiltins, electron, srcMain),
      ...restrictGlobals(nodeGlobals, 'The renderer is sandboxed; ask the API, not Node.'),
    },
  },

  prettier,
  // After eslint-config-prettier, which turns `curly` off: with 'all' it cannot fight Prettier.
  { rules: { curly: ['error', 'all'] } },
])
