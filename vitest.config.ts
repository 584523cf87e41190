import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'electron/**/*.test.ts',
      'shared/**/*.test.ts',
      'renderer/**/*.test.{ts,tsx}',
      'tests/unit/**/*.test.ts',
      'tests/integration/**/*.test.ts',
      'scripts/**/*.test.ts',
      'bench/**/*.test.ts',
    ],
    exclude: ['node_modules', 'out', 'tests/e2e/**'],
    // Type tests (`*.test-d.ts`, expectTypeOf) run through tsc as part of every `vitest run`.
    typecheck: { enabled: true, include: ['**/*.test-d.ts'], tsconfig: './tsconfig.node.json' },
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
