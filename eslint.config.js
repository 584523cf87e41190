import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The walls between environments (see docs/ARCHITECTURE.md) are lint rules, so a wrong import
 * fails `npm run lint` instead of a review:
 * - shared/ runs anywhere: no Node built-ins, no electron, no DOM-only code;
 * - electron/core, electron/host, electron/cli, electron/sandbox are plain Node: never electron;
 * - renderer/ is DOM only: no electron, no Node built-ins, nothing from electron/.
 */
const nodeBuiltins = [
  'node:*',
  'fs',
  'path',
  'os',
  'child_process',
  'http',
  'https',
  'net',
  'crypto',
  'worker_threads',
];

export default tseslint.config(
  { ignores: ['node_modules', 'out', 'dist', 'coverage', 'test-results', 'playwright-report', 'resources'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
    },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron', ...nodeBuiltins], message: 'shared/ runs in every environment.' },
            {
              group: ['**/electron/**', '**/renderer/**'],
              message: 'shared/ depends on nothing else in the project.',
            },
          ],
        },
      ],
    },
  },
  {
    files: [
      'electron/core/**/*.ts',
      'electron/host/**/*.ts',
      'electron/cli/**/*.ts',
      'electron/sandbox/**/*.ts',
      'bench/**/*.ts',
      'scripts/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'Plain Node code: receive Electron capabilities by injection (see compose.ts).',
            },
          ],
          patterns: [
            {
              group: ['**/electron/main/**', '**/electron/preload/**', '**/renderer/**'],
              message: 'Plain Node code must not reach into Electron glue or the renderer.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron', ...nodeBuiltins], message: 'The renderer is DOM only.' },
            {
              group: ['**/electron/**'],
              message: 'The renderer talks to the main process only through the contract client.',
            },
          ],
        },
      ],
    },
  },
);
