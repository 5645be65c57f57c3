import { defineConfig } from 'vitest/config'

const shared = {
  testTimeout: 60_000,
  hookTimeout: 60_000,
  // DuckDB uses both cores per query; running test files in parallel would only contend.
  fileParallelism: false,
}

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...shared,
          name: 'unit',
          include: [
            'src-main/**/*.test.ts',
            'src-shared/**/*.test.ts',
            'src-renderer/**/*.test.ts',
            'scripts/**/*.test.ts',
          ],
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
        },
      },
      {
        test: {
          ...shared,
          name: 'integration',
          include: ['src-main/**/*.int.test.ts'],
          // Private PostgreSQL and MariaDB servers, started once for the run (TESTING.md).
          globalSetup: ['scripts/test-servers/global-setup.ts'],
          testTimeout: 180_000,
        },
      },
    ],
  },
})
