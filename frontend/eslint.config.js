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
  },

  // The end-to-end suite and this file: plain ES modules run by Node.
  {
    files: ['e2e/**/*.{js,mjs}', 'eslint.config.js'],
    extends: [js.configs.recommended],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
]);
