// ESLint for the frontend: `npm run lint` (and `make lint`) runs it after
// `tsc --noEmit`, with no warning allowed.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig([
  // Build outputs: the bundle and the Wails bindings the build generates.
  globalIgnores(['dist/', 'wailsjs/', 'test-output/']),

  // The app and its tests: type-aware rules, through tsconfig.json.
  {
    files: ['src/**/*.{ts,tsx}', 'vite.config.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked, reactHooks.configs.flat.recommended],
    languageOptions: {
      globals: globals.browser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // The same exemption as tsc's noUnused*: a leading _ marks a value left unused on purpose.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
      // Props declare their callbacks in method shorthand (`onGo(step: number): void`) and none uses `this`.
      '@typescript-eslint/unbound-method': 'off',
      // React ignores what an event handler returns; the async handlers here catch and show their own errors.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      // The React Compiler is not used: these rules only say what it would skip or could not optimise.
      'react-hooks/incompatible-library': 'off',
      'react-hooks/set-state-in-effect': 'off',
    },
  },

  // Test fakes implement the async API as async functions, so a throw becomes a rejection as with a real transport.
  {
    files: ['src/**/*.test.{ts,tsx}', 'src/test/**', 'src/scaffold/testing.tsx'],
    rules: { '@typescript-eslint/require-await': 'off' },
  },

  // The end-to-end suite and this file: plain ES modules run by Node.
  {
    files: ['e2e/**/*.{js,mjs}', 'eslint.config.js'],
    extends: [js.configs.recommended],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
]);
