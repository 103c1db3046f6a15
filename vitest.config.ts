import { defineConfig } from 'vitest/config';

// Tests run against src/ (the `tinykube-src` export condition), never against dist/.
export default defineConfig({
  resolve: { conditions: ['tinykube-src'] },
  ssr: { resolve: { conditions: ['tinykube-src'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/setup-tls.ts'],
    reporters: ['default', ['json', { outputFile: '.vitest-results.json' }]],
  },
});
